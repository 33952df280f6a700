//! Writing validation findings where `hearth validate` was asked to: CSV and Excel.

use std::fs::File;
use std::path::PathBuf;

use anyhow::Context;
use returns::findings::{Finding, write_findings_csv, write_findings_xlsx};

pub fn write(
    findings: &[Finding],
    csv: Option<&PathBuf>,
    xlsx: Option<&PathBuf>,
) -> anyhow::Result<()> {
    if let Some(path) = csv {
        let out = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        write_findings_csv(std::io::BufWriter::new(out), findings)?;
        say!("Findings written to {}", path.display());
    }
    if let Some(path) = xlsx {
        write_findings_xlsx(path, findings)
            .with_context(|| format!("writing {}", path.display()))?;
        say!("Workbook written to {}", path.display());
    }
    Ok(())
}
