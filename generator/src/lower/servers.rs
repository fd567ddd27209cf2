//! Servers (→ `Environment` variants) and security schemes (→ credentials).

use super::*;

impl<'a> Lowerer<'a, '_> {
    /// The spec's servers as `Environment` variants: names unique (and never `Custom`, the
    /// variant for any URL), URL variables replaced by their defaults.
    pub(super) fn lower_servers(&mut self) -> Vec<Server> {
        let mut out: Vec<Server> = Vec::new();
        for (i, server) in self.api.servers.iter().enumerate() {
            let pointer = format!("/servers/{i}");
            let wanted = self
                .name_override(&server.extensions, &pointer)
                .map(|n| variant_name(n, "Server"))
                .unwrap_or_else(|| format!("Server{}", i + 1));
            let name = unique(&wanted, "", |name| {
                name == "Custom" || out.iter().any(|s| s.name == name)
            });
            if name != wanted {
                self.sink.push(self.spec.warning(
                    Code::Renamed,
                    &pointer,
                    format!("server name `{wanted}` is taken (by another server or by `Environment::Custom`); this one is `{name}`"),
                ));
            }
            let Some(url) = self.server_url(server, &pointer) else {
                continue;
            };
            // A relative URL (resolved against wherever the spec was read from), another
            // scheme or no URL at all gives the client nothing to call.
            let absolute = ["https://", "http://"].iter().any(|scheme| {
                url.get(..scheme.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
                    && url.len() > scheme.len()
            });
            if !absolute {
                self.sink.push(self.spec.warning(
                    Code::Server,
                    &child(&pointer, "url"),
                    format!("server URL `{}` is not an absolute http(s) URL; no `Environment` variant is made for it (`Environment::Custom` takes any base URL)", url.escape_debug()),
                ));
                continue;
            }
            out.push(Server {
                name,
                url,
                description: server.description.clone(),
            });
        }
        out
    }

    /// A server's URL with each `{variable}` replaced by its default. A variable the server
    /// does not declare is an error; the other values a variable allows are not offered (a
    /// warning says so), `Environment::Custom` takes any URL.
    pub(super) fn server_url(
        &mut self,
        server: &openapiv3::Server,
        pointer: &str,
    ) -> Option<String> {
        let template = match parse_template(&server.url) {
            Ok(parts) => parts,
            Err(_) => {
                self.sink.push(self.spec.error(
                    Code::Server,
                    &child(pointer, "url"),
                    format!("server URL `{}` has an unmatched `{{` or `}}`", server.url),
                ));
                return None;
            }
        };
        let variables = server.variables.as_ref();
        let mut url = String::new();
        for part in template {
            match part {
                PathPart::Literal(text) => url.push_str(&text),
                PathPart::Param(name) => match variables.and_then(|v| v.get(&name)) {
                    Some(variable) => {
                        if !variable.enumeration.is_empty() {
                            self.sink.push(self.spec.warning(
                                Code::Server,
                                &child(&child(pointer, "variables"), &name),
                                format!("server variable `{name}` is fixed to its default `{}`; use `Environment::Custom` for another value", variable.default),
                            ));
                        }
                        url.push_str(&variable.default);
                    }
                    None => {
                        self.sink.push(self.spec.error(
                            Code::Server,
                            &child(pointer, "url"),
                            format!("server URL `{}` uses `{{{name}}}`, which the server does not declare in `variables`", server.url),
                        ));
                        return None;
                    }
                },
            }
        }
        Some(url)
    }

    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.api.components else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let pointer = child("/components/securitySchemes", key);
            let ReferenceOr::Item(scheme) = scheme else {
                self.sink.push(self.spec.warning(
                    Code::SchemeSkipped,
                    &pointer,
                    "a security scheme given by `$ref` is not supported; skipped",
                ));
                continue;
            };
            let named = self.name_override(scheme_extensions(scheme), &pointer);
            let Some((kind, description)) = self.scheme_kind(scheme, &pointer) else {
                continue;
            };
            // `XClientID` → `client_id`: a leading `X` of a header-style name says nothing.
            let trimmed = key
                .strip_prefix('X')
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .unwrap_or(key);
            out.push(SecurityScheme {
                key: key.clone(),
                field: field_name(named.unwrap_or(trimmed)),
                description: description.clone(),
                kind,
            });
        }
        out
    }
}

impl Lowerer<'_, '_> {
    /// What a scheme sends, and its description; `None` (reported) for one that cannot be
    /// sent.
    fn scheme_kind<'s>(
        &mut self,
        scheme: &'s openapiv3::SecurityScheme,
        pointer: &str,
    ) -> Option<(SchemeKind, &'s Option<String>)> {
        use openapiv3::SecurityScheme as S;
        Some(match scheme {
            S::APIKey {
                location,
                name,
                description,
                ..
            } => (self.api_key_kind(location, name, pointer)?, description),
            S::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
            S::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => {
                (SchemeKind::Bearer(TokenSource::Http), description)
            }
            S::OAuth2 {
                flows, description, ..
            } => {
                let token_url = [
                    flows.client_credentials.as_ref().map(|f| &f.token_url),
                    flows.authorization_code.as_ref().map(|f| &f.token_url),
                    flows.password.as_ref().map(|f| &f.token_url),
                ]
                .into_iter()
                .flatten()
                .next()
                .cloned();
                (
                    SchemeKind::Bearer(TokenSource::OAuth2 { token_url }),
                    description,
                )
            }
            S::OpenIDConnect {
                open_id_connect_url,
                description,
                ..
            } => (
                SchemeKind::Bearer(TokenSource::OpenIdConnect {
                    url: open_id_connect_url.clone(),
                }),
                description,
            ),
            S::HTTP { scheme, .. } => {
                self.sink.push(self.spec.warning(
                    Code::SchemeSkipped,
                    pointer,
                    format!("HTTP `{scheme}` authentication is not supported (basic and bearer are); alternatives that need this scheme are skipped"),
                ));
                return None;
            }
        })
    }

    /// An API key's place: a header or cookie name must be an HTTP token, a query name must
    /// not be empty (reported; `None`).
    fn api_key_kind(
        &mut self,
        location: &openapiv3::APIKeyLocation,
        name: &str,
        pointer: &str,
    ) -> Option<SchemeKind> {
        use openapiv3::APIKeyLocation;
        Some(match location {
            APIKeyLocation::Header | APIKeyLocation::Cookie if !is_header_name(name) => {
                let what = match location {
                    APIKeyLocation::Cookie => "a cookie",
                    _ => "an HTTP header",
                };
                self.sink.push(self.spec.error(
                    Code::Parameter,
                    &child(pointer, "name"),
                    format!(
                        "`{name}` is not {what} name (letters, digits and !#$%&'*+-.^_`|~ only)"
                    ),
                ));
                return None;
            }
            APIKeyLocation::Header => SchemeKind::Header {
                name: name.to_ascii_lowercase(),
            },
            APIKeyLocation::Cookie => SchemeKind::Cookie {
                name: name.to_owned(),
            },
            APIKeyLocation::Query if name.is_empty() => {
                self.sink.push(self.spec.error(
                    Code::Parameter,
                    &child(pointer, "name"),
                    "a query API key needs a parameter name",
                ));
                return None;
            }
            APIKeyLocation::Query => SchemeKind::Query {
                name: name.to_owned(),
            },
        })
    }
}

fn scheme_extensions(scheme: &openapiv3::SecurityScheme) -> &IndexMap<String, Value> {
    match scheme {
        openapiv3::SecurityScheme::APIKey { extensions, .. }
        | openapiv3::SecurityScheme::HTTP { extensions, .. }
        | openapiv3::SecurityScheme::OAuth2 { extensions, .. }
        | openapiv3::SecurityScheme::OpenIDConnect { extensions, .. } => extensions,
    }
}
