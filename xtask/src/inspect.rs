//! What a built binary is, read from its headers: ELF, Mach-O or PE, for which CPU; an ELF
//! must be static (no program interpreter, so it runs on any distribution) and an arm64
//! Mach-O must carry a code signature whose page hashes match the file (macOS on Apple
//! silicon kills unsigned arm64 programs; a binary changed after signing, e.g. stripped, is
//! killed too). No tool for this is on a fresh Linux machine (`file` does not check
//! signatures), and these few header fields are stable formats.

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Aarch64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Elf(Arch),
    MachO(Arch),
    Pe(Arch),
}

fn u16le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn u64le(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}
fn u32be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Checks `bin` against what its target must be; says what was found.
pub fn check(bin: &[u8], want: Kind) -> Result<String, String> {
    match want {
        Kind::Elf(arch) => elf(bin, arch),
        Kind::MachO(arch) => macho(bin, arch),
        Kind::Pe(arch) => pe(bin, arch),
    }
}

fn truncated() -> String {
    "the headers are truncated".into()
}

fn elf(b: &[u8], want: Arch) -> Result<String, String> {
    if b.get(..4) != Some(b"\x7fELF") || b.get(4) != Some(&2) || b.get(5) != Some(&1) {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    let machine = u16le(b, 0x12).ok_or_else(truncated)?;
    let arch = match machine {
        0x3e => Arch::X86_64,
        0xb7 => Arch::Aarch64,
        other => return Err(format!("an ELF for machine {other:#x}, not {want:?}")),
    };
    if arch != want {
        return Err(format!("an ELF for {arch:?}, not {want:?}"));
    }
    let phoff = u64le(b, 0x20).ok_or_else(truncated)? as usize;
    let phentsize = usize::from(u16le(b, 0x36).ok_or_else(truncated)?);
    let phnum = usize::from(u16le(b, 0x38).ok_or_else(truncated)?);
    let (mut interp, mut dynamic) = (false, false);
    for i in 0..phnum {
        match u32le(b, phoff + i * phentsize).ok_or_else(truncated)? {
            2 => dynamic = true,
            3 => interp = true,
            _ => {}
        }
    }
    if interp {
        return Err(format!(
            "an {arch:?} ELF that needs a dynamic loader (PT_INTERP): not static"
        ));
    }
    Ok(format!(
        "ELF {arch:?}, {}",
        if dynamic { "static-pie" } else { "static" }
    ))
}

const LC_CODE_SIGNATURE: u32 = 0x1d;
const CS_ADHOC: u32 = 0x2;

fn macho(b: &[u8], want: Arch) -> Result<String, String> {
    if u32le(b, 0) != Some(0xfeed_facf) {
        return Err("not a 64-bit Mach-O file".into());
    }
    let arch = match u32le(b, 4).ok_or_else(truncated)? {
        0x0100_0007 => Arch::X86_64,
        0x0100_000c => Arch::Aarch64,
        other => return Err(format!("a Mach-O for CPU type {other:#x}, not {want:?}")),
    };
    if arch != want {
        return Err(format!("a Mach-O for {arch:?}, not {want:?}"));
    }
    if u32le(b, 12) != Some(2) {
        return Err("a Mach-O that is not an executable (MH_EXECUTE)".into());
    }
    let ncmds = u32le(b, 16).ok_or_else(truncated)?;
    let mut at = 32usize;
    let mut signature = None;
    for _ in 0..ncmds {
        let cmd = u32le(b, at).ok_or_else(truncated)?;
        let size = u32le(b, at + 4).ok_or_else(truncated)? as usize;
        if cmd == LC_CODE_SIGNATURE {
            let off = u32le(b, at + 8).ok_or_else(truncated)? as usize;
            let len = u32le(b, at + 12).ok_or_else(truncated)? as usize;
            signature = Some((off, len));
        }
        if size < 8 {
            return Err("a Mach-O load command is malformed".into());
        }
        at += size;
    }
    match signature {
        Some((off, len)) => {
            let what = code_signature(b, off, len)?;
            Ok(format!("Mach-O {arch:?} executable, {what}"))
        }
        None if arch == Arch::Aarch64 => Err(
            "an arm64 Mach-O without a code signature: macOS on Apple silicon refuses to run it"
                .into(),
        ),
        None => Ok(format!("Mach-O {arch:?} executable, not signed")),
    }
}

/// Verifies the CodeDirectory's page hashes (SHA-256) against the file: the signature is
/// intact, not merely present. Says whether it is ad hoc.
fn code_signature(b: &[u8], off: usize, len: usize) -> Result<String, String> {
    let blob = b
        .get(off..off + len)
        .ok_or("the code signature lies outside the file")?;
    let bad = || "the code signature is malformed".to_string();
    if u32be(blob, 0) != Some(0xfade_0cc0) {
        return Err("the code signature is not a SuperBlob".into());
    }
    let count = u32be(blob, 8).ok_or_else(bad)? as usize;
    for i in 0..count {
        let slot_type = u32be(blob, 12 + i * 8).ok_or_else(bad)?;
        let cd_off = u32be(blob, 16 + i * 8).ok_or_else(bad)? as usize;
        // Slot 0: the CodeDirectory.
        if slot_type != 0 {
            continue;
        }
        let cd = blob.get(cd_off..).ok_or_else(bad)?;
        if u32be(cd, 0) != Some(0xfade_0c02) {
            return Err("the code signature has no CodeDirectory".into());
        }
        let flags = u32be(cd, 12).ok_or_else(bad)?;
        let hash_offset = u32be(cd, 16).ok_or_else(bad)? as usize;
        let n_code_slots = u32be(cd, 28).ok_or_else(bad)? as usize;
        let code_limit = u32be(cd, 32).ok_or_else(bad)? as usize;
        let (hash_size, hash_type, page_shift) = (
            *cd.get(36).ok_or_else(bad)?,
            *cd.get(37).ok_or_else(bad)?,
            *cd.get(39).ok_or_else(bad)?,
        );
        if hash_type != 2 || hash_size != 32 {
            return Err(format!(
                "the code signature uses hash type {hash_type}, not SHA-256"
            ));
        }
        let page = 1usize.checked_shl(u32::from(page_shift)).ok_or_else(bad)?;
        if code_limit > b.len() || n_code_slots != code_limit.div_ceil(page) {
            return Err(bad());
        }
        for slot in 0..n_code_slots {
            let start = slot * page;
            let data = &b[start..(start + page).min(code_limit)];
            let want = cd
                .get(hash_offset + slot * 32..hash_offset + slot * 32 + 32)
                .ok_or_else(bad)?;
            if Sha256::digest(data).as_slice() != want {
                return Err(format!(
                    "the code signature does not match page {slot} of the file (changed after signing?)"
                ));
            }
        }
        return Ok(format!(
            "{} code signature, {n_code_slots} page hashes verified",
            if flags & CS_ADHOC != 0 { "ad-hoc" } else { "a" }
        ));
    }
    Err("the code signature has no CodeDirectory".into())
}

fn pe(b: &[u8], want: Arch) -> Result<String, String> {
    if b.get(..2) != Some(b"MZ") {
        return Err("not a PE file (no MZ header)".into());
    }
    let pe = u32le(b, 0x3c).ok_or_else(truncated)? as usize;
    if b.get(pe..pe + 4) != Some(b"PE\0\0") {
        return Err("not a PE file (no PE signature)".into());
    }
    let arch = match u16le(b, pe + 4).ok_or_else(truncated)? {
        0x8664 => Arch::X86_64,
        0xaa64 => Arch::Aarch64,
        other => return Err(format!("a PE for machine {other:#x}, not {want:?}")),
    };
    if arch != want {
        return Err(format!("a PE for {arch:?}, not {want:?}"));
    }
    Ok(format!("PE {arch:?} executable"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal 64-bit ELF header with the given machine and program-header types.
    fn elf_with(machine: u16, phdrs: &[u32]) -> Vec<u8> {
        let mut b = vec![0u8; 64 + 56 * phdrs.len()];
        b[..6].copy_from_slice(b"\x7fELF\x02\x01");
        b[0x12..0x14].copy_from_slice(&machine.to_le_bytes());
        b[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        b[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        b[0x38..0x3a].copy_from_slice(&(phdrs.len() as u16).to_le_bytes());
        for (i, t) in phdrs.iter().enumerate() {
            b[64 + i * 56..68 + i * 56].copy_from_slice(&t.to_le_bytes());
        }
        b
    }

    #[test]
    fn a_static_elf_of_the_right_machine_passes() {
        let found = check(&elf_with(0xb7, &[1, 2]), Kind::Elf(Arch::Aarch64)).unwrap();
        assert_eq!(found, "ELF Aarch64, static-pie");
    }

    #[test]
    fn a_dynamic_or_foreign_elf_is_refused() {
        let e = check(&elf_with(0x3e, &[3, 1]), Kind::Elf(Arch::X86_64)).unwrap_err();
        assert!(e.contains("not static"), "{e}");
        let e = check(&elf_with(0x3e, &[1]), Kind::Elf(Arch::Aarch64)).unwrap_err();
        assert!(e.contains("X86_64, not Aarch64"), "{e}");
        assert!(check(b"MZ", Kind::Elf(Arch::X86_64)).is_err());
    }

    /// A Mach-O executable with one LC_CODE_SIGNATURE whose CodeDirectory hashes the file up
    /// to the signature in 4 KiB pages (what zig's linker writes).
    fn signed_macho(cpu: u32) -> Vec<u8> {
        let sig_off = 8192usize;
        let mut b = vec![0u8; sig_off];
        b[..4].copy_from_slice(&0xfeed_facfu32.to_le_bytes());
        b[4..8].copy_from_slice(&cpu.to_le_bytes());
        b[12..16].copy_from_slice(&2u32.to_le_bytes());
        b[16..20].copy_from_slice(&1u32.to_le_bytes());
        b[32..36].copy_from_slice(&LC_CODE_SIGNATURE.to_le_bytes());
        b[36..40].copy_from_slice(&16u32.to_le_bytes());
        b[40..44].copy_from_slice(&(sig_off as u32).to_le_bytes());
        for (i, byte) in b.iter_mut().enumerate().skip(100) {
            *byte = i as u8;
        }
        let pages = 2;
        let cd_len = 88 + 32 * pages;
        let mut cd = vec![0u8; cd_len];
        cd[..4].copy_from_slice(&0xfade_0c02u32.to_be_bytes());
        cd[4..8].copy_from_slice(&(cd_len as u32).to_be_bytes());
        cd[12..16].copy_from_slice(&CS_ADHOC.to_be_bytes());
        cd[16..20].copy_from_slice(&88u32.to_be_bytes());
        cd[28..32].copy_from_slice(&(pages as u32).to_be_bytes());
        cd[32..36].copy_from_slice(&(sig_off as u32).to_be_bytes());
        cd[36] = 32;
        cd[37] = 2;
        cd[39] = 12;
        b[44..48].copy_from_slice(&((20 + cd_len) as u32).to_le_bytes());
        for p in 0..pages {
            let h = Sha256::digest(&b[p * 4096..(p + 1) * 4096]);
            cd[88 + p * 32..88 + p * 32 + 32].copy_from_slice(&h);
        }
        let mut sb = Vec::new();
        sb.extend_from_slice(&0xfade_0cc0u32.to_be_bytes());
        sb.extend_from_slice(&((20 + cd_len) as u32).to_be_bytes());
        sb.extend_from_slice(&1u32.to_be_bytes());
        sb.extend_from_slice(&0u32.to_be_bytes());
        sb.extend_from_slice(&20u32.to_be_bytes());
        sb.extend_from_slice(&cd);
        b.extend_from_slice(&sb);
        b
    }

    #[test]
    fn an_intact_ad_hoc_signed_arm64_mach_o_passes() {
        let found = check(&signed_macho(0x0100_000c), Kind::MachO(Arch::Aarch64)).unwrap();
        assert_eq!(
            found,
            "Mach-O Aarch64 executable, ad-hoc code signature, 2 page hashes verified"
        );
    }

    #[test]
    fn a_mach_o_changed_after_signing_is_refused() {
        let mut b = signed_macho(0x0100_000c);
        b[5000] ^= 1;
        let e = check(&b, Kind::MachO(Arch::Aarch64)).unwrap_err();
        assert!(e.contains("does not match page 1"), "{e}");
    }

    #[test]
    fn an_unsigned_arm64_mach_o_or_the_wrong_cpu_is_refused() {
        let mut b = signed_macho(0x0100_000c);
        b[16..20].copy_from_slice(&0u32.to_le_bytes());
        let e = check(&b, Kind::MachO(Arch::Aarch64)).unwrap_err();
        assert!(e.contains("without a code signature"), "{e}");
        // An unsigned x86-64 Mach-O runs on Intel Macs: reported, not refused.
        let mut b = signed_macho(0x0100_0007);
        b[16..20].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(
            check(&b, Kind::MachO(Arch::X86_64)).unwrap(),
            "Mach-O X86_64 executable, not signed"
        );
        let e = check(&signed_macho(0x0100_0007), Kind::MachO(Arch::Aarch64)).unwrap_err();
        assert!(e.contains("X86_64, not Aarch64"), "{e}");
    }

    #[test]
    fn a_pe_names_its_machine() {
        let mut b = vec![0u8; 0x90];
        b[..2].copy_from_slice(b"MZ");
        b[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        b[0x80..0x84].copy_from_slice(b"PE\0\0");
        b[0x84..0x86].copy_from_slice(&0x8664u16.to_le_bytes());
        assert_eq!(
            check(&b, Kind::Pe(Arch::X86_64)).unwrap(),
            "PE X86_64 executable"
        );
        assert!(check(&b, Kind::Pe(Arch::Aarch64)).is_err());
    }
}
