//! Paths and operations: names, parameters, body, responses and security of each operation.

use super::*;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn lower_operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let mut out = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let path_pointer = child("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                // A path item may point at another path of the same document.
                ReferenceOr::Reference { reference } => match self.path_item(reference) {
                    Ok(item) => item,
                    Err(_) => {
                        self.sink.push(self.spec.warning(
                            Code::OperationSkipped,
                            &path_pointer,
                            format!("operations of `{path}` skipped: its path item is `$ref: {reference}`, which is not a path item of this document"),
                        ));
                        continue;
                    }
                },
            };
            self.warn_servers_ignored(&item.servers, &path_pointer, &format!("`{path}`"));
            for (method, op) in item.iter() {
                let pointer = child(&path_pointer, method);
                let what = format!("`{} {path}`", method.to_uppercase());
                self.warn_servers_ignored(&op.servers, &pointer, &what);
                if let Some(operation) =
                    self.lower_operation(path, method, op, &item.parameters, &pointer, schemes)
                {
                    out.push(operation);
                }
            }
        }
        out
    }

    /// Servers given to one path or operation: the client sends every request to its
    /// `Environment`'s base URL, so these are reported as ignored.
    fn warn_servers_ignored(&mut self, servers: &[openapiv3::Server], pointer: &str, what: &str) {
        if let Some(first) = servers.first() {
            self.sink.push(self.spec.warning(
                Code::Server,
                &child(pointer, "servers"),
                format!("servers of {what} are ignored (the first is `{}`): the client sends every request to its `Environment`'s base URL", first.url),
            ));
        }
    }

    pub(super) fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<openapiv3::Parameter>],
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Option<Operation> {
        let (id, name, type_prefix) = self.operation_identity(path, method, op, pointer);
        let (mut params, unsendable) =
            self.operation_params(path, path_params, op, pointer, &type_prefix);
        // A fragment (`/oauth2/token#refresh`, which some vendors use to tell two operations
        // on one URL apart) never reaches a server: it is dropped, with a warning.
        let sent = match path.split_once('#') {
            Some((sent, fragment)) => {
                self.sink.push(self.spec.warning(
                    Code::PathTemplate,
                    pointer,
                    format!("the fragment `#{fragment}` of `{path}` is not sent (a URL never carries its fragment to the server); requests go to `{sent}`"),
                ));
                sent
            }
            None => path,
        };
        let template = match parse_path_template(sent) {
            Ok(template) => template,
            Err(message) => {
                self.sink
                    .push(self.spec.error(Code::PathTemplate, pointer, message));
                return None;
            }
        };
        if let Some(name) = template.iter().find_map(|part| match part {
            PathPart::Param(name) if unsendable.contains(name) => Some(name),
            _ => None,
        }) {
            self.sink.push(self.spec.warning(
                Code::OperationSkipped,
                pointer,
                format!("operation `{id}` skipped: its path parameter `{name}` cannot be sent"),
            ));
            return None;
        }
        let template = self.plan_path(template, &params, path, pointer);
        self.unique_argument_names(&mut params, pointer);

        let body = self.operation_body(op, pointer, &id, &type_prefix).ok()?;
        let (success, errors) = self.operation_responses(op, pointer, &type_prefix);
        let security = self.operation_security(op, pointer, schemes);
        self.check_idempotency_alternatives(&params, &security, schemes);

        Some(Operation {
            name,
            type_name: type_prefix,
            method: http_method(method),
            path: path.to_owned(),
            template,
            pointer: pointer.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tag: op.tags.first().cloned(),
            // Settled by the namer once every operation's tag is known.
            feature: String::new(),
            deprecated: op.deprecated,
            params,
            body,
            success,
            errors,
            security,
        })
    }

    /// The operation's id (its operationId, or one derived from method and path when that is
    /// missing or its names are taken), method name and type-name prefix, now taken.
    fn operation_identity(
        &mut self,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> (String, String, String) {
        let derived = || {
            format!(
                "{method}_{}",
                path.replace(['{', '}'], "").replace('/', "_")
            )
        };
        let named = self.name_override(&op.extensions, pointer);
        let mut id = match named.or(op.operation_id.as_deref().map(str::trim)) {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ => {
                let derived = derived();
                self.sink.push(self.spec.warning(
                    Code::Renamed,
                    pointer,
                    format!(
                        "no operationId; the method is named `{}` after the method and path",
                        field_name(&derived)
                    ),
                ));
                derived
            }
        };
        if self.operation_name_taken(&id) {
            let renamed = unique(&derived(), "_", |name| self.operation_name_taken(name));
            self.sink.push(self.spec.warning(
                Code::Renamed,
                &child(pointer, "operationId"),
                format!(
                    "operationId `{id}` gives a method or error type name (`{}`, `{}Error`) that is already taken; this one is named `{}` after its method and path",
                    field_name(&id),
                    type_name(&id),
                    field_name(&renamed)
                ),
            ));
            id = renamed;
        }
        let name = field_name(&id).to_owned();
        let type_prefix = type_name(&id);
        self.operation_names.insert(name.clone());
        self.operation_names.insert(format!("{name}_with"));
        self.operation_types.insert(type_prefix.clone());

        (id, name, type_prefix)
    }

    /// The operation's parameters: path-level ones first, overridden by the operation's own
    /// with the same name and location. Also the names of path parameters that were
    /// declared but cannot be sent (reported already).
    fn operation_params(
        &mut self,
        path: &str,
        path_params: &'a [ReferenceOr<openapiv3::Parameter>],
        op: &'a openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> (Vec<Param>, Vec<String>) {
        // Operation parameters override path-level ones with the same name and location.
        let mut params: Vec<Param> = Vec::new();
        let all = path_params.iter().enumerate().map(|(i, p)| {
            (
                p,
                child(&child("/paths", path), "parameters").to_owned() + &format!("/{i}"),
            )
        });
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
        let path_level = path_params.len();
        let mut seen_here: Vec<(String, ParamLocation, bool)> = Vec::new();
        let mut unsendable = Vec::new();
        for (i, (param, param_pointer)) in all.chain(own).enumerate() {
            let lowered = self.lower_param(param, &param_pointer, type_prefix);
            if lowered.is_none() {
                if let Some(openapiv3::Parameter::Path { parameter_data, .. }) =
                    self.parameter_quiet(param, &param_pointer)
                {
                    unsendable.push(parameter_data.name.clone());
                }
            }
            if let Some(p) = lowered {
                // Within one list a repeat is a mistake; an operation's own parameter
                // overriding a path-level one is OpenAPI's rule.
                let own_level = i >= path_level;
                if seen_here
                    .iter()
                    .any(|(n, l, o)| n == &p.wire_name && *l == p.location && *o == own_level)
                {
                    self.sink.push(self.spec.error(
                        Code::Parameter,
                        &param_pointer,
                        format!("parameter `{}` is declared twice in this list", p.wire_name),
                    ));
                }
                seen_here.push((p.wire_name.clone(), p.location, own_level));
                params.retain(|q| !(q.wire_name == p.wire_name && q.location == p.location));
                params.push(p);
            }
        }
        (params, unsendable)
    }

    /// The security alternatives the client can send (`None`: no authentication), each
    /// registered as a credential of the module the first time it appears.
    fn operation_security(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Vec<Option<CredentialId>> {
        // Requirements the operation inherits are the document's, and are reported there.
        let (requirements, at) = match &op.security {
            Some(own) => (Some(own), format!("{pointer}/security")),
            None => (self.api.security.as_ref(), "/security".to_owned()),
        };
        let mut security = Vec::new();
        for (i, requirement) in requirements.into_iter().flatten().enumerate() {
            let entry = format!("{at}/{i}");
            let keys: Vec<String> = requirement.keys().cloned().collect();
            let unknown: Vec<&String> = keys
                .iter()
                .filter(|k| !schemes.iter().any(|s| &s.key == *k))
                .collect();
            let declared = self
                .api
                .components
                .as_ref()
                .is_some_and(|c| unknown.iter().all(|k| c.security_schemes.contains_key(*k)));
            // Basic, bearer and an API key named `Authorization` all need the one
            // `Authorization` header: an alternative asking for two cannot be sent.
            let authorization = keys
                .iter()
                .filter_map(|k| schemes.iter().find(|s| &s.key == k))
                .filter(|s| match &s.kind {
                    SchemeKind::Basic | SchemeKind::Bearer(_) => true,
                    SchemeKind::Header { name } => name == "authorization",
                    SchemeKind::Query { .. } | SchemeKind::Cookie { .. } => false,
                })
                .count();
            if unknown.is_empty() && authorization > 1 {
                self.sink.push(self.spec.warning(
                    Code::SchemeSkipped,
                    &entry,
                    format!(
                        "[{}] needs {authorization} schemes that all use the `Authorization` header, which one request cannot carry; this alternative is skipped",
                        keys.join(", ")
                    ),
                ));
            } else if unknown.is_empty() {
                security.push(self.credential_of(&keys, schemes, &entry));
            } else if !declared {
                self.sink.push(self.spec.warning(
                    Code::Security,
                    &entry,
                    format!(
                        "security scheme `{}` is not declared in components.securitySchemes; this alternative is skipped",
                        unknown[0]
                    ),
                ));
            }
        }
        // Only an operation's own list is reported here (the document's is everyone's).
        let required = op.security.as_ref().is_some_and(|own| !own.is_empty());
        if required && security.is_empty() {
            self.sink.push(self.spec.warning(
                Code::SchemeSkipped,
                &at,
                "none of this operation's security alternatives can be sent; it is generated, and sends the credentials the client was built with",
            ));
        }
        security
    }

    /// Parameters become method arguments: their names must differ from each other (`id` in
    /// the path and in the query, `userId` and `user_id`) and from the method's own `body`
    /// and `options`. A clash gets a suffix naming its location, then a number, with a
    /// warning.
    pub(super) fn unique_argument_names(&mut self, params: &mut [Param], pointer: &str) {
        // The method's own locals and arguments are taken too.
        let mut taken: Vec<String> = [
            "body",
            "options",
            "self_",
            "query",
            "headers",
            "call",
            "violations",
        ]
        .map(String::from)
        .to_vec();
        for p in params.iter_mut().filter(|p| p.role == ParamRole::Argument) {
            let wanted = p.rust_name.clone();
            let bare = wanted.trim_end_matches('_').to_owned();
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            };
            let is_taken = |name: &str| taken.iter().any(|t| t == name);
            let name = if is_taken(&wanted) {
                unique(&format!("{bare}_{location}"), "_", is_taken)
            } else {
                wanted.clone()
            };
            if name != wanted {
                self.sink.push(self.spec.warning(
                    Code::Renamed,
                    pointer,
                    format!(
                        "{location} parameter `{}` would be the argument `{}`, which another argument or the method itself uses; it is `{name}`",
                        p.wire_name,
                        wanted
                    ),
                ));
                p.rust_name = name.clone();
            }
            taken.push(name);
        }
    }

    /// Whether an operation called `id` would need a method (`name`, `name_with`) or an error
    /// type (`NameError`) that another operation, or the client itself, already has.
    pub(super) fn operation_name_taken(&self, id: &str) -> bool {
        const CLIENT_METHODS: [&str; 3] = ["new", "with_config", "base_url"];
        let name = field_name(id).to_owned();
        let with = format!("{name}_with");
        CLIENT_METHODS.contains(&name.as_str())
            || CLIENT_METHODS.contains(&with.as_str())
            || self.operation_names.contains(&name)
            || self.operation_names.contains(&with)
            || self.operation_types.contains(&type_name(id))
    }

    /// The request plan's path: each `{name}` of the template becomes the index of its
    /// declared path parameter. A name not declared, and a path parameter the template does
    /// not use, are errors.
    pub(super) fn plan_path(
        &mut self,
        template: Vec<PathPart>,
        params: &[Param],
        path: &str,
        pointer: &str,
    ) -> Vec<PathSegment> {
        let mut used = vec![false; params.len()];
        let mut segments = Vec::with_capacity(template.len());
        for part in template {
            let name = match part {
                PathPart::Literal(text) => {
                    segments.push(PathSegment::Literal(text));
                    continue;
                }
                PathPart::Param(name) => name,
            };
            let index = params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name);
            match index {
                Some(index) => {
                    used[index] = true;
                    segments.push(PathSegment::Param(index));
                }
                None => self.sink.push(self.spec.error(
                    Code::PathTemplate,
                    pointer,
                    format!("path parameter `{name}` of `{path}` is not declared"),
                )),
            }
        }
        for (p, used) in params.iter().zip(used) {
            if p.location == ParamLocation::Path && !used {
                self.sink.push(self.spec.error(
                    Code::PathTemplate,
                    pointer,
                    format!(
                        "path parameter `{}` is declared but `{path}` has no `{{{}}}`",
                        p.wire_name, p.wire_name
                    ),
                ));
            }
        }
        segments
    }

    /// The credential sending exactly the schemes `keys` (`None` for no keys), registered
    /// on first use with the name it wants; the namer settles names once all are known.
    fn credential_of(
        &mut self,
        keys: &[String],
        schemes: &[SecurityScheme],
        at: &str,
    ) -> Option<CredentialId> {
        if keys.is_empty() {
            return None;
        }
        let ids: Vec<SchemeId> = keys
            .iter()
            .filter_map(|k| schemes.iter().position(|s| &s.key == k))
            .map(|i| SchemeId(i as u32))
            .collect();
        let known = self.credentials.iter().position(|c| {
            c.schemes.len() == ids.len() && c.schemes.iter().all(|(id, _)| ids.contains(id))
        });
        if let Some(known) = known {
            return Some(CredentialId(known as u32));
        }
        let joined: String = ids
            .iter()
            .map(|id| schemes[id.0 as usize].field.to_upper_camel_case())
            .collect();
        let variant = variant_name(&joined, "Scheme");
        self.credentials.push(Credential {
            constructor: field_name(&variant),
            variant,
            schemes: ids
                .iter()
                .map(|id| {
                    let scheme = &schemes[id.0 as usize];
                    let field = match scheme.kind {
                        SchemeKind::Basic => String::new(),
                        _ => scheme.field.clone(),
                    };
                    (*id, field)
                })
                .collect(),
            pointer: at.to_owned(),
        });
        Some(CredentialId(self.credentials.len() as u32 - 1))
    }

    /// Every alternative an idempotency policy names must be one of the operation's.
    pub(super) fn check_idempotency_alternatives(
        &mut self,
        params: &[Param],
        security: &[Option<CredentialId>],
        schemes: &[SecurityScheme],
    ) {
        for param in params {
            let ParamRole::IdempotencyKey(policy) = &param.role else {
                continue;
            };
            for (i, alternative) in policy.honoured_with.iter().flatten().enumerate() {
                let sends = |id: &CredentialId| {
                    let c = &self.credentials[id.0 as usize];
                    c.schemes.len() == alternative.len()
                        && c.schemes
                            .iter()
                            .all(|(s, _)| alternative.contains(&schemes[s.0 as usize].key))
                };
                if !security.iter().flatten().any(sends) {
                    self.sink.push(self.spec.error(
                        Code::Extension,
                        &child(&child(&policy.pointer, "honoured-with"), &i.to_string()),
                        format!(
                            "[{}] is not one of the security alternatives of an operation that takes this key",
                            alternative.join(", ")
                        ),
                    ));
                }
            }
        }
    }
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Trace,
    }
}
