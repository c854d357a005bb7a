//! Hostile input and hostile output through every CLI: the C CLI (upstream-c/tools, built here
//! with make as vp8dec_cli.rs builds it) and the Rust `vp8dec` under every stage.
//! - Amplification: an IVF of a few bytes declaring 16383x16383 key frames stays under 64 MiB of
//!   peak RSS (as GNU time reports it) and gives the same message everywhere.
//! - An unwritable stdout (closed, /dev/full, a pipe whose reader is gone) ends with one error
//!   line and a non-zero status, or by SIGPIPE, never a panic and never the error twice; the same
//!   for `portlab census`.
//! - Bad IVF files give the same message and exit code from C and Rust; no MD5 is printed for a
//!   stream that decoded no picture.
//! - A sample (every 16th case) of the corruption set (`vp8_stage::corrupt`) gives the same stdout, stderr and exit
//!   code from the C CLI and the Rust CLI under every stage.

mod common;
use common::c_cli;
use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use vp8_stage::corpus::{corpus_dir, corpus_streams};
use vp8_stage::corrupt::{build_cases, pick_sources};
use vp8_stage::ivf::{self, IvfFrame, IvfHeader};

const VP8DEC: &str = env!("CARGO_BIN_EXE_vp8dec");
const PORTLAB: &str = env!("CARGO_BIN_EXE_portlab");

/// Peak RSS allowed for the amplification files.
const RSS_LIMIT_KIB: i64 = 64 * 1024;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("portlab-hostile-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Every CLI under test: (label, program, leading arguments).
fn clis() -> Vec<(String, String, Vec<String>)> {
    let mut out = vec![("C CLI".to_string(), c_cli().to_string(), Vec::new())];
    for s in portlab::stage::all_stages() {
        out.push((
            format!("vp8dec --stage {}", s.name()),
            VP8DEC.to_string(),
            vec!["--stage".to_string(), s.name().to_string()],
        ));
    }
    out
}

/// A key frame declaring `w` x `h` whose first partition (21 zero bytes) cannot hold the modes
/// of that many macroblocks, then one token byte: 32 bytes.
fn starving_key_frame(w: u16, h: u16) -> Vec<u8> {
    let part = 21u32;
    let tag = (part << 5) | (1 << 4); // key frame, version 0, shown
    let mut f = tag.to_le_bytes()[..3].to_vec();
    f.extend_from_slice(&[0x9d, 0x01, 0x2a]);
    f.extend_from_slice(&w.to_le_bytes());
    f.extend_from_slice(&h.to_le_bytes());
    f.extend(std::iter::repeat_n(0u8, part as usize + 1));
    f
}

fn ivf_file(name: &str, frames: Vec<Vec<u8>>) -> PathBuf {
    let header = IvfHeader::vp8(16383, 16383, 30, frames.len() as u32);
    let frames: Vec<IvfFrame> = frames
        .into_iter()
        .enumerate()
        .map(|(i, data)| IvfFrame {
            index: i as u64,
            pts: i as u64,
            data,
        })
        .collect();
    let p = scratch(name);
    std::fs::write(&p, ivf::to_bytes(&header, &frames)).unwrap();
    p
}

/// The 76-byte file of one 16383x16383 key frame and the 472-byte file of ten of alternating
/// sizes (the "Hostile input" issue's measurements).
fn amplification_files() -> Vec<PathBuf> {
    let one = ivf_file("amp-one.ivf", vec![starving_key_frame(16383, 16383)]);
    let ten = ivf_file(
        "amp-ten.ivf",
        (0..10)
            .map(|i| starving_key_frame(16383, 16383 - (i % 2)))
            .collect(),
    );
    assert_eq!(std::fs::metadata(&one).unwrap().len(), 76);
    assert_eq!(std::fs::metadata(&ten).unwrap().len(), 472);
    vec![one, ten]
}

/// (exit status, stdout, stderr, peak RSS KiB) of one run, the RSS as GNU time reports it.
/// Not wait4 from this process: a child spawned from a large process (cargo's test harness,
/// other tests running beside) inherits its peak RSS at exec, vfork or fork alike; time is a
/// small process whose child starts small. stdout and stderr go to files.
fn run_measured(program: &str, args: &[String], tag: &str) -> (ExitStatus, String, String, i64) {
    let out = scratch(&format!("{tag}.out"));
    let err = scratch(&format!("{tag}.err"));
    let rss_file = scratch(&format!("{tag}.rss"));
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(program);
        c
    } else {
        vp8_stage::missing_tool("GNU time (/usr/bin/time)", "the peak-RSS bound");
        Command::new(program)
    };
    let status = cmd
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap())
        .stderr(File::create(&err).unwrap())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last()?.trim().parse().ok())
        .unwrap_or(0);
    (
        status,
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(&err).unwrap(),
        rss,
    )
}

#[test]
fn amplification_files_stay_small_and_agree() {
    let mut failures = Vec::new();
    for file in amplification_files() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let mut reference: Option<(ExitStatus, String, String)> = None;
        for (i, (label, program, lead)) in clis().into_iter().enumerate() {
            let mut args = lead.clone();
            args.extend(["-i", file.to_str().unwrap(), "--muxer", "md5"].map(String::from));
            let (status, stdout, stderr, rss) = run_measured(&program, &args, &format!("amp{i}"));
            if rss > RSS_LIMIT_KIB {
                failures.push(format!(
                    "{label} {name}: peak RSS {rss} KiB > {RSS_LIMIT_KIB}"
                ));
            }
            if !stderr.contains("mode data runs") || status.code() != Some(3) {
                failures.push(format!("{label} {name}: {status}, stderr {stderr:?}"));
            }
            if !stdout.is_empty() {
                failures.push(format!(
                    "{label} {name}: printed {stdout:?} for a stream without pictures"
                ));
            }
            match &reference {
                None => reference = Some((status, stdout, stderr)),
                Some(r) if *r != (status, stdout.clone(), stderr.clone()) => {
                    failures.push(format!(
                        "{label} {name}: {status} {stderr:?}, the C CLI: {} {:?}",
                        r.0, r.2
                    ))
                }
                Some(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// How a run against an unwritable stdout may end: status 1 with exactly one stderr line naming
/// `reason`, or (for a broken pipe) killed by SIGPIPE; never a panic.
fn check_failure(
    label: &str,
    case: &str,
    status: ExitStatus,
    stderr: &str,
    reason: &str,
) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let by_sigpipe = reason == "Broken pipe" && status.signal() == Some(libc::SIGPIPE);
    let one_line = status.code() == Some(1)
        && lines.len() == 1
        && lines[0].ends_with(&format!("error: write error on stdout: {reason}"));
    if stderr.contains("panicked") || !(by_sigpipe || one_line) {
        Some(format!("{label}, {case}: {status}, stderr {stderr:?}"))
    } else {
        None
    }
}

/// Run `program args` three ways: stdout closed, stdout /dev/full, stdout a pipe whose reader is
/// gone; return the failures.
fn unwritable_stdout(label: &str, program: &str, args: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    // Closed: the shell closes descriptor 1 and execs the program.
    let o = Command::new("sh")
        .arg("-c")
        .arg("exec \"$@\" >&-")
        .arg("sh")
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    failures.extend(check_failure(
        label,
        "closed stdout",
        o.status,
        &String::from_utf8_lossy(&o.stderr),
        "Bad file descriptor",
    ));
    let o = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::options().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    failures.extend(check_failure(
        label,
        "/dev/full",
        o.status,
        &String::from_utf8_lossy(&o.stderr),
        "No space left on device",
    ));
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    failures.extend(check_failure(
        label,
        "broken pipe",
        o.status,
        &String::from_utf8_lossy(&o.stderr),
        "Broken pipe",
    ));
    failures
}

#[test]
fn unwritable_stdout_is_one_error_line_in_every_cli() {
    let stream = corpus_dir().join("bench-vga-testsrc2-640x480.ivf");
    let stream = stream.to_str().unwrap();
    let mut failures = Vec::new();
    for (label, program, lead) in clis() {
        for muxer in ["yuv", "md5", "framemd5"] {
            let mut args = lead.clone();
            args.extend(["-q", "-i", stream, "--muxer", muxer, "-o", "-"].map(String::from));
            failures.extend(unwritable_stdout(
                &format!("{label} --muxer {muxer}"),
                &program,
                &args,
            ));
        }
    }
    failures.extend(unwritable_stdout(
        "portlab census",
        PORTLAB,
        &["census".to_string()],
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_input_same_message_and_exit_code_from_c_and_rust() {
    let src = std::fs::read(corpus_dir().join("bench-vga-testsrc2-640x480.ivf")).unwrap();
    let long_header = {
        let mut v = src[..4559].to_vec();
        v[6..8].copy_from_slice(&44576u16.to_le_bytes());
        scratch("bad-long-header.ivf")
            .to_str()
            .map(|p| {
                std::fs::write(p, &v).unwrap();
                p.to_string()
            })
            .unwrap()
    };
    let ten_bytes = scratch("bad-ten-bytes.bin");
    std::fs::write(&ten_bytes, b"0123456789").unwrap();
    let short_dkif = scratch("bad-short-dkif.ivf");
    std::fs::write(&short_dkif, &src[..10]).unwrap();
    let dir = scratch("bad-directory");
    std::fs::create_dir_all(&dir).unwrap();
    let inputs: Vec<(&str, String)> = vec![
        ("header size beyond the file", long_header),
        (
            "10 bytes, not IVF",
            ten_bytes.to_string_lossy().into_owned(),
        ),
        (
            "10 bytes of an IVF file",
            short_dkif.to_string_lossy().into_owned(),
        ),
        ("a directory", dir.to_string_lossy().into_owned()),
    ];
    let mut failures = Vec::new();
    for (what, path) in &inputs {
        let mut reference = None;
        for (label, program, lead) in clis() {
            let mut args = lead.clone();
            args.extend(["-i", path, "--muxer", "md5"].map(String::from));
            let o = Command::new(&program).args(&args).output().unwrap();
            let got = (
                o.status.code(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            );
            if got.0 != Some(1) || !got.1.is_empty() || got.2.lines().count() != 1 {
                failures.push(format!("{label}, {what}: {got:?}"));
            }
            match &reference {
                None => reference = Some(got),
                Some(r) if *r != got => {
                    failures.push(format!("{label}, {what}: {got:?}, the C CLI: {r:?}"))
                }
                Some(_) => {}
            }
        }
    }
    let expected = [
        "truncated IVF file header (header size field says 44576 bytes)",
        "not an IVF file (starts with \"0123\"",
        "truncated IVF file header (10 of 32 bytes)",
        "read error in the IVF file header: Is a directory",
    ];
    for ((what, path), text) in inputs.iter().zip(expected) {
        let o = Command::new(c_cli())
            .args(["-i", path, "--muxer", "md5"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        if !stderr.contains(text) {
            failures.push(format!("C CLI, {what}: {stderr:?} lacks {text:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corruption_sample_same_output_from_c_and_rust_clis() {
    let streams = corpus_streams(&corpus_dir()).unwrap();
    let cases = build_cases(&pick_sources(&streams));
    // Every 16th case (about 100 of the ~1,600), four CLI runs each, on two threads; the whole
    // set runs in process in corrupt_stages.rs.
    let sample: Vec<_> = cases.iter().step_by(16).collect();
    assert!(sample.len() > 80, "only {} cases", sample.len());
    let clis = clis();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for t in 0..2 {
            let (sample, clis, next, failures) = (&sample, &clis, &next, &failures);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = sample.get(i) else { break };
                    let path = scratch(&format!("corrupt-{t}.ivf"));
                    std::fs::write(&path, &case.bytes).unwrap();
                    let mut reference = None;
                    for (label, program, lead) in clis {
                        let mut args = lead.clone();
                        args.extend(["-q", "-i", path.to_str().unwrap(), "--muxer", "framemd5"].map(String::from));
                        args.extend(case.args.iter().cloned());
                        let o = Command::new(program).args(&args).output().unwrap();
                        let got = (o.status.code(), o.stdout, String::from_utf8_lossy(&o.stderr).replace(path.to_str().unwrap(), "IN"));
                        if got.2.contains("panicked") || got.0.is_none() {
                            failures.lock().unwrap().push(format!("{label}, {}: {:?} {}", case.name, got.0, got.2));
                        }
                        match &reference {
                            None => reference = Some(got),
                            Some(r) if *r != got => failures.lock().unwrap().push(format!(
                                "{label}, {}: exit {:?}, stderr {:?}; the C CLI: exit {:?}, stderr {:?}{}",
                                case.name, got.0, got.2, r.0, r.2,
                                if r.1 != got.1 { " (stdout differs)" } else { "" }
                            )),
                            Some(_) => {}
                        }
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        sample.len(),
        failures.join("\n")
    );
}
