//! The type graph: strongly connected components, recursion that Rust cannot express
//! (aliases and unions that reach themselves by value), and the boxing of recursive fields.
//! All of it linear in the number of types and references.

use crate::ir::{Module, TypeId, TypeKind};

/// Aliases that reach themselves through aliases alone (even through a `Vec`: Rust has no
/// recursive type aliases).
pub fn alias_cycles(module: &Module) -> Vec<TypeId> {
    let edges: Vec<Vec<usize>> = module
        .iter_types()
        .map(|(id, t)| match t.kind {
            TypeKind::Alias(_) => indices(module.references(id)),
            _ => Vec::new(),
        })
        .collect();
    cyclic(module, &edges, |kind| matches!(kind, TypeKind::Alias(_)))
}

/// Unions that reach themselves through unions and aliases alone (`U: oneOf [U, …]`): reading
/// a value would try the union on the same value forever. Through a struct field, an array or
/// a map the value gets smaller at each step, so those cycles are fine.
pub fn union_cycles(module: &Module) -> Vec<TypeId> {
    let edges: Vec<Vec<usize>> = module
        .iter_types()
        .map(|(id, t)| match t.kind {
            TypeKind::Alias(_) | TypeKind::Union(_) => indices(module.direct_references(id)),
            _ => Vec::new(),
        })
        .collect();
    cyclic(module, &edges, |kind| matches!(kind, TypeKind::Union(_)))
}

/// The types selected by `which` that lie on a cycle of `edges`.
fn cyclic(module: &Module, edges: &[Vec<usize>], which: fn(&TypeKind) -> bool) -> Vec<TypeId> {
    let component = strongly_connected_components(edges);
    let mut size = vec![0usize; edges.len()];
    for &c in &component {
        size[c] += 1;
    }
    module
        .iter_types()
        .filter(|(id, t)| {
            let i = id.index();
            which(&t.kind) && (size[component[i]] > 1 || edges[i].contains(&i))
        })
        .map(|(id, _)| id)
        .collect()
}

fn indices(ids: Vec<TypeId>) -> Vec<usize> {
    ids.into_iter().map(TypeId::index).collect()
}

/// Boxes every field and variant whose type leads back to its owner without passing through
/// a `Vec` or a map (which already allocate): exactly the direct edges inside one strongly
/// connected component. Run after check, on a module check accepted.
pub fn mark_boxes(module: &mut Module) {
    let edges: Vec<Vec<usize>> = module
        .iter_types()
        .map(|(id, _)| indices(module.direct_references(id)))
        .collect();
    let component = strongly_connected_components(&edges);
    let same = |from: usize, to: Option<TypeId>| {
        to.is_some_and(|t| component[t.index()] == component[from])
    };
    for (i, t) in module.types.iter_mut().enumerate() {
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = same(i, f.ty.direct_named());
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = same(i, v.ty.direct_named());
                }
            }
            _ => {}
        }
    }
}

/// Tarjan's algorithm, iterative (no recursion depth limit): the component of every node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut counter = 0;
    let mut components = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next edge to look at)
        let mut work = vec![(root, 0usize)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut next)) = work.last_mut() {
            if let Some(&target) = edges[node].get(*next) {
                *next += 1;
                if order[target] == UNSEEN {
                    order[target] = counter;
                    low[target] = counter;
                    counter += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}
