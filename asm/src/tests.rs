//! Keeps `lib.rs` in sync with `include/vp8asm/*.h`: every kernel a header declares is declared
//! here with the same number of parameters and the corresponding Rust types, and nothing else is;
//! and every declared kernel links and is a distinct symbol.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A declaration: kernel name -> parameter types (normalized Rust spellings).
type Decls = BTreeMap<String, Vec<String>>;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn strip_c_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                let end = rest[b + 2..].find("*/").expect("unterminated comment") + b + 4;
                out.push(' ');
                rest = &rest[end..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |n| &rest[l + n..]);
            }
            (None, None) => {
                out.push_str(rest);
                return out;
            }
            (Some(_), None) => unreachable!(),
        }
    }
}

/// `const uint8_t *topright` -> `*const u8`; `int16_t blocks[16][16]` -> `*mut [i16; 16]`.
fn c_param_to_rust(param: &str) -> String {
    let param = param.trim();
    let is_const = param.starts_with("const ");
    let param = param.trim_start_matches("const ").trim();
    let dims: Vec<&str> = param
        .split('[')
        .skip(1)
        .map(|d| d.trim_end_matches(']').trim())
        .collect();
    let decl = param.split('[').next().unwrap();
    let pointer = decl.contains('*');
    let ty = decl.replace('*', " ");
    let ty = ty.split_whitespace().next().unwrap_or("");
    let base = match ty {
        "uint8_t" => "u8",
        "int16_t" => "i16",
        "ptrdiff_t" => "isize",
        "int" => "c_int",
        other => panic!("parameter type {other:?} in {param:?}: add it to c_param_to_rust"),
    };
    let pointee = match (pointer, dims.len()) {
        (false, 0) => return base.to_string(),
        (true, 0) | (false, 1) => base.to_string(),
        (false, 2) => format!("[{base}; {}]", dims[1]),
        _ => panic!("unsupported declarator {param:?}"),
    };
    format!("*{} {pointee}", if is_const { "const" } else { "mut" })
}

fn header_decls() -> Decls {
    let dir = crate_dir().join("include/vp8asm");
    let mut headers: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "h"))
        .collect();
    headers.sort();
    assert!(!headers.is_empty(), "no headers in {}", dir.display());
    let mut decls = Decls::new();
    for h in headers {
        let text = strip_c_comments(&std::fs::read_to_string(&h).unwrap());
        // Every prototype: `void vp8_<name>(<params>);` (the kernels all return void).
        for chunk in text.split(';') {
            let chunk = chunk.trim();
            let Some(rest) = chunk
                .rsplit_once("void ")
                .map(|(_, r)| r)
                .filter(|r| r.starts_with("vp8_"))
            else {
                continue;
            };
            let (name, params) = rest.split_once('(').expect("prototype");
            let params = params.trim_end().strip_suffix(')').expect("prototype end");
            let types = params.split(',').map(c_param_to_rust).collect();
            let name = name.trim().to_string();
            assert!(
                decls.insert(name.clone(), types).is_none(),
                "{name} declared twice in the headers"
            );
        }
    }
    decls
}

fn rust_decls() -> Decls {
    let text = std::fs::read_to_string(crate_dir().join("src/lib.rs")).unwrap();
    let mut decls = Decls::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("pub fn vp8_") {
        let after = &rest[start + "pub fn ".len()..];
        let (name, params) = after.split_once('(').unwrap();
        let end = params.find(");").expect("declaration ends with );");
        let types = params[..end]
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let ty = p.split_once(':').expect("name: type").1;
                ty.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect();
        assert!(
            decls.insert(name.to_string(), types).is_none(),
            "{name} declared twice in lib.rs"
        );
        rest = &params[end..];
    }
    decls
}

#[test]
fn c_types_map_as_expected() {
    assert_eq!(c_param_to_rust("uint8_t *dst"), "*mut u8");
    assert_eq!(c_param_to_rust("const uint8_t *topright"), "*const u8");
    assert_eq!(c_param_to_rust("ptrdiff_t stride"), "isize");
    assert_eq!(c_param_to_rust("int mx"), "c_int");
    assert_eq!(c_param_to_rust("int16_t block[16]"), "*mut i16");
    assert_eq!(c_param_to_rust("int16_t blocks[16][16]"), "*mut [i16; 16]");
    assert_eq!(c_param_to_rust("const uint8_t eobs[8]"), "*const u8");
}

#[test]
fn every_header_kernel_is_declared_with_matching_parameters() {
    let c = header_decls();
    let rust = rust_decls();
    assert!(
        c.len() >= 6,
        "only {} kernels found in the headers",
        c.len()
    );
    let mut problems = Vec::new();
    for (name, c_types) in &c {
        match rust.get(name) {
            None => problems.push(format!("{name}: declared in a header, missing in lib.rs")),
            Some(r) if r.len() != c_types.len() => problems.push(format!(
                "{name}: {} parameters in the header, {} in lib.rs",
                c_types.len(),
                r.len()
            )),
            Some(r) if r != c_types => {
                problems.push(format!("{name}: header types {c_types:?}, lib.rs {r:?}"))
            }
            Some(_) => {}
        }
    }
    for name in rust.keys() {
        if !c.contains_key(name) {
            problems.push(format!("{name}: declared in lib.rs but in no header"));
        }
    }
    assert!(
        problems.is_empty(),
        "lib.rs out of sync with include/vp8asm:\n{}",
        problems.join("\n")
    );
}

#[cfg(target_arch = "x86_64")]
#[test]
fn every_declared_kernel_links_to_a_distinct_symbol() {
    let all = crate::kernels();
    assert_eq!(
        all.len(),
        rust_decls().len(),
        "kernels() misses declarations"
    );
    let mut addrs: Vec<usize> = all.iter().map(|&(_, a)| a).collect();
    addrs.sort_unstable();
    addrs.dedup();
    assert_eq!(addrs.len(), all.len(), "two kernels share an address");
}

#[cfg(target_arch = "x86_64")]
#[test]
fn idct_kernels_run_from_rust() {
    if !is_x86_feature_detected!("sse2") {
        return;
    }
    // A block whose only coefficient is the DC goes through the full transform like the DC form.
    let mut full = [7u8; 4 * 8];
    let mut dc = full;
    let mut block = [0i16; 16];
    block[0] = -100;
    let mut block_dc = block;
    // SAFETY: SSE2 checked above; 4 rows of stride 8 cover the 4x4 pixels; 16 coefficients.
    unsafe {
        crate::vp8_idct_add_sse2(full.as_mut_ptr(), 8, block.as_mut_ptr());
        crate::vp8_idct_dc_add_sse2(dc.as_mut_ptr(), 8, block_dc.as_mut_ptr());
    }
    // (-100 + 4) >> 3 = -12: 7 - 12 clamps to 0 inside the block, the rest is untouched.
    let expected: Vec<u8> = (0..32).map(|i| if i % 8 < 4 { 0 } else { 7 }).collect();
    assert_eq!(full.to_vec(), expected);
    assert_eq!(dc, full);
    assert_eq!(block, [0; 16]);
    assert_eq!(block_dc, [0; 16]);
}
