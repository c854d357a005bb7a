//! goto as structured Rust: labelled blocks for forward jumps, labelled loops for backward ones
//! (docs/transpiler.md, "goto").

use super::*;

/// A stretch of a block's statements that a goto jumps across: a labelled block left by
/// forward gotos, or a labelled loop continued by backward ones.
pub(super) struct GotoRegion {
    start: usize,
    end: usize,
    forward: bool,
    label: String,
    /// The clang ids of the gotos that jump with this region.
    gotos: Vec<String>,
}

/// The ids of the goto statements under `n` that jump to the label `decl`.
fn gotos_to(n: &Node, decl: &str, out: &mut Vec<String>) {
    if ast::kind(n) == "GotoStmt" && ast::str_field(n, "targetLabelDeclId") == Some(decl) {
        if let Some(id) = ast::str_field(n, "id") {
            out.push(id.to_string());
        }
    }
    for c in ast::inner(n) {
        gotos_to(c, decl, out);
    }
}

/// The regions of a block's statements that its labels need (`stmt_list`): a labelled block
/// from the first forward goto to the label, a labelled loop from the label to the last
/// backward goto, widened until they nest. Jumps that cross so that neither widening helps
/// are an error.
pub(super) fn goto_regions(stmts: &[Node]) -> TResult<Vec<GotoRegion>> {
    let mut regions: Vec<GotoRegion> = Vec::new();
    for (l, s) in stmts.iter().enumerate() {
        if ast::kind(s) != "LabelStmt" {
            continue;
        }
        let decl = ast::str_field(s, "declId").unwrap_or("").to_string();
        let name = ast::name(s).unwrap_or("label").to_string();
        let (mut fwd, mut back) = (Vec::new(), Vec::new());
        let (mut first, mut last) = (None, None);
        for (j, c) in stmts.iter().enumerate() {
            let mut ids = Vec::new();
            gotos_to(c, &decl, &mut ids);
            if ids.is_empty() {
                continue;
            }
            if j < l {
                first.get_or_insert(j);
                fwd.extend(ids);
            } else {
                last = Some(j);
                back.extend(ids);
            }
        }
        let both = first.is_some() && last.is_some();
        if let Some(start) = first {
            regions.push(GotoRegion {
                start,
                end: l,
                forward: true,
                label: name.clone(),
                gotos: fwd,
            });
        }
        if let Some(j) = last {
            regions.push(GotoRegion {
                start: l,
                end: j + 1,
                forward: false,
                label: if both {
                    format!("{name}_loop")
                } else {
                    name.clone()
                },
                gotos: back,
            });
        }
    }
    // Make the regions nest.
    loop {
        let mut changed = false;
        for a in 0..regions.len() {
            for b in 0..regions.len() {
                let (ra, rb) = (&regions[a], &regions[b]);
                if ra.start < rb.start && rb.start < ra.end && ra.end < rb.end {
                    if rb.forward {
                        regions[b].start = regions[a].start;
                    } else if !ra.forward {
                        regions[a].end = regions[b].end;
                    } else {
                        let at = &stmts[regions[b].start];
                        return err(
                            at,
                            "goto",
                            format!(
                                "the jumps to `{}` and to `{}` cross each other (irreducible \
                     control flow is not supported)",
                                regions[a].label, regions[b].label
                            ),
                        );
                    }
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    Ok(regions)
}

impl GotoRegion {
    /// Do the statements `i` of the block fall inside this region?
    pub(super) fn holds(&self, i: usize) -> bool {
        self.start <= i && i < self.end
    }

    /// How many statements it spans.
    pub(super) fn len(&self) -> usize {
        self.end - self.start
    }
}

impl<'p, 'a> ModCx<'p, 'a> {
    /// The statements of a block. A block holding labels is laid out as labelled Rust blocks
    /// (a forward `goto L` leaves `'L: { .. }`, which ends where `L:` stands) and labelled loops
    /// (a backward `goto L` continues `'L: loop { .. break; }`, which starts at `L:`). The
    /// regions must nest: a forward block may start earlier and a loop may end later than
    /// needed, and jumps that cross in a way neither fixes are refused.
    pub(super) fn stmt_list(
        &mut self,
        f: &mut FnCx,
        stmts: &[Node],
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        if !stmts.iter().any(|s| ast::kind(s) == "LabelStmt") {
            for s in stmts {
                self.stmt(f, s, out)?;
            }
            return Ok(());
        }
        let regions = goto_regions(stmts)?;
        for r in &regions {
            let l = lifetime(&r.label);
            let t = if r.forward {
                quote!(break #l;)
            } else {
                quote!(continue #l;)
            };
            for g in &r.gotos {
                f.gotos.insert(g.clone(), t.clone());
            }
        }
        let all: Vec<usize> = (0..regions.len()).collect();
        let mut body = Vec::new();
        let hoisted_before = std::mem::take(&mut f.hoisted);
        self.goto_range(f, stmts, 0, stmts.len(), &regions, &all, false, &mut body)?;
        let hoisted = std::mem::replace(&mut f.hoisted, hoisted_before);
        out.extend(hoisted);
        out.extend(body);
        Ok(())
    }

    /// Statements `lo..hi` of a block with goto regions `within` (indices into `regions`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn goto_range(
        &mut self,
        f: &mut FnCx,
        stmts: &[Node],
        lo: usize,
        hi: usize,
        regions: &[GotoRegion],
        within: &[usize],
        in_region: bool,
        out: &mut Vec<TokenStream>,
    ) -> TResult<()> {
        let mut i = lo;
        while i < hi {
            // The outermost region starting here.
            let outer = within
                .iter()
                .copied()
                .filter(|&r| regions[r].start == i && regions[r].end <= hi)
                .max_by_key(|&r| (regions[r].end, !regions[r].forward));
            if let Some(r) = outer {
                let reg = &regions[r];
                let inner: Vec<usize> = within
                    .iter()
                    .copied()
                    .filter(|&x| {
                        x != r && regions[x].start >= reg.start && regions[x].end <= reg.end
                    })
                    .collect();
                f.push_block();
                let mut body = Vec::new();
                self.goto_range(
                    f, stmts, reg.start, reg.end, regions, &inner, true, &mut body,
                )?;
                f.pop_block();
                let l = lifetime(&reg.label);
                if reg.forward {
                    out.push(quote!(#l: { #(#body)* }));
                } else {
                    out.push(quote!(#l: loop { #(#body)* break; }));
                }
                i = reg.end;
                continue;
            }
            let mut s = &stmts[i];
            if ast::kind(s) == "LabelStmt" {
                s = &ast::inner(s)[0];
            }
            // A declaration inside a region is hoisted in front of the regions only when code
            // outside the innermost region holding it uses the local (a label after that
            // region's end, which a jump reaches past the initialization, or code after a
            // loop's end): otherwise its `let` stays where C declares it, in that region's
            // Rust block, as does the `let` of a local declared at its first assignment
            // (lets.rs).
            let hoist = in_region
                && ast::kind(s) == "DeclStmt"
                && !ast::inner(s).iter().all(|d| {
                    ast::kind(d) == "VarDecl"
                        && ast::str_field(d, "id").is_some_and(|id| {
                            f.first_assigns.vars.contains_key(id)
                                || super::lets::scoped_by_regions(f, regions, stmts, i, id)
                        })
                });
            if hoist {
                f.hoisting = true;
                let r = self.stmt(f, s, out);
                f.hoisting = false;
                r?;
            } else {
                self.stmt(f, s, out)?;
            }
            i += 1;
        }
        Ok(())
    }
}
