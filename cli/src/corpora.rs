//! `dedup --annotate / --kept / --drop-list`: the corpora a data pipeline
//! takes from a run, written by reading the inputs again row by row, so
//! every field of every row is copied as it was.
//!
//! The annotated corpus is every row with six columns added (a field of
//! the same name is replaced): `cluster_id` (the cluster's index in the
//! report's `clusters`, `null` for a document in none), `cluster_size`,
//! `canonical_id` (the copy kept; the document itself outside a cluster),
//! `keep`, `jaccard` (the best Jaccard with another member among the
//! report's pairs) and `copy_kind` (where the cluster analysis ran). The
//! kept corpus is the rows with `keep` true, as they were; the drop list
//! names the others. All three follow [`Report::annotations`].

use std::path::Path;

use std::borrow::Cow;
use std::sync::Arc;

use arrow_schema::{DataType, Field, FieldRef, Schema};
use chachong::{Annotation, Report};
use serde_json::{Map, Value};

use crate::args::{CorpusOutputArgs, InputArgs};
use crate::failure::{Failure, Result};
use crate::input::{arrow_schema, check_output, Rows};
use crate::rows::{Columns, RowFormat, RowWriter, Tables};

/// The drop list's columns.
fn drop_columns() -> Columns {
    Columns::Fixed(Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("cluster_id", DataType::Int64, true),
        Field::new("canonical_id", DataType::Utf8, false),
        Field::new("jaccard", DataType::Float64, true),
    ])))
}

/// The columns the annotated corpus adds, with their types in Parquet.
fn annotation_columns() -> Vec<FieldRef> {
    [
        Field::new("cluster_id", DataType::Int64, true),
        Field::new("cluster_size", DataType::Int64, false),
        Field::new("canonical_id", DataType::Utf8, false),
        Field::new("keep", DataType::Boolean, false),
        Field::new("jaccard", DataType::Float64, true),
        Field::new("copy_kind", DataType::Utf8, true),
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
}

/// The corpus outputs asked for, checked and opened before the run: a name
/// without a known format, an output that is an input, two outputs on one
/// file or on stdout fail at once.
pub struct CorpusOutputs {
    annotate: Option<RowWriter>,
    kept: Option<RowWriter>,
    drop_list: Option<RowWriter>,
}

impl CorpusOutputs {
    /// Opens every output of `args` for the rows of `input`; `report` is
    /// where the report goes (`None`: stdout).
    pub fn open(
        args: &CorpusOutputArgs,
        input: &InputArgs,
        report: Option<&Path>,
    ) -> Result<CorpusOutputs> {
        let inputs = &input.inputs;
        // Only Parquet has one, and it is only read when an output is.
        let input_schema = match args.paths().is_empty() {
            true => None,
            false => arrow_schema(input)?,
        };
        let paths = args.paths();
        let stdout = Path::new("-");
        let mut taken: Vec<(&str, &Path)> = vec![("the report", report.unwrap_or(stdout))];
        for &(flag, path) in &paths {
            check_output((flag, "a corpus"), Some(path), inputs)?;
            if let Some((other, _)) = taken.iter().find(|(_, p)| *p == path) {
                let hint = if path == stdout {
                    " (give the report a file with --output)"
                } else {
                    ""
                };
                return Err(Failure::new(format!(
                    "{flag} {} is also where {other} goes{hint}",
                    path.display()
                )));
            }
            taken.push((flag, path));
        }
        let open = |flag: &str, path: &Option<std::path::PathBuf>, tables, columns: Columns| {
            path.as_deref()
                .map(|p| RowWriter::create(p, RowFormat::of(flag, p, tables)?, columns))
                .transpose()
        };
        Ok(CorpusOutputs {
            annotate: open(
                "--annotate",
                &args.annotate,
                Tables::Refused,
                Columns::Rows {
                    input: input_schema.clone(),
                    added: annotation_columns(),
                },
            )?,
            kept: open(
                "--kept",
                &args.kept,
                Tables::Refused,
                Columns::Rows {
                    input: input_schema,
                    added: Vec::new(),
                },
            )?,
            drop_list: open(
                "--drop-list",
                &args.drop_list,
                Tables::Allowed,
                drop_columns(),
            )?,
        })
    }

    /// Whether any output was asked for.
    pub fn any(&self) -> bool {
        self.annotate.is_some() || self.kept.is_some() || self.drop_list.is_some()
    }

    /// Writes every output from the inputs read again and `report`.
    pub fn write(self, rows: &Rows, report: &Report) -> Result<()> {
        if !self.any() {
            return Ok(());
        }
        let notes = report.annotations(rows.ids())?;
        self.write_notes(rows, |at| Cow::Borrowed(&notes[at]))
    }

    /// Writes every output from the inputs read again and `note`, each
    /// document's annotation by its place in the first read.
    pub fn write_notes<'n>(
        mut self,
        rows: &Rows,
        note: impl Fn(usize) -> Cow<'n, Annotation>,
    ) -> Result<()> {
        rows.for_each_record(|at, record| {
            let note = &*note(at);
            if let Some(drop_list) = self.drop_list.as_mut().filter(|_| !note.keep) {
                drop_list.write(&drop_row(&record.id, note))?;
            }
            if let Some(kept) = self.kept.as_mut().filter(|_| note.keep) {
                kept.write(&record.fields)?;
            }
            if let Some(annotate) = &mut self.annotate {
                let mut fields = record.fields;
                annotate_row(&mut fields, note);
                annotate.write(&fields)?;
            }
            Ok(())
        })?;
        for writer in [self.annotate, self.kept, self.drop_list]
            .into_iter()
            .flatten()
        {
            writer.finish()?;
        }
        Ok(())
    }
}

/// Adds (or replaces) the annotation columns of a row.
fn annotate_row(fields: &mut Map<String, Value>, note: &Annotation) {
    fields.insert("cluster_id".into(), note.cluster_id.into());
    fields.insert("cluster_size".into(), note.cluster_size.into());
    fields.insert("canonical_id".into(), note.canonical_id.clone().into());
    fields.insert("keep".into(), note.keep.into());
    fields.insert("jaccard".into(), note.jaccard.into());
    let kind = note
        .copy_kind
        .map(|k| serde_json::to_value(k).unwrap_or(Value::Null));
    fields.insert("copy_kind".into(), kind.unwrap_or(Value::Null));
}

/// The drop list's row of a dropped document.
fn drop_row(id: &str, note: &Annotation) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("id".into(), id.into());
    row.insert("cluster_id".into(), note.cluster_id.into());
    row.insert("canonical_id".into(), note.canonical_id.clone().into());
    row.insert("jaccard".into(), note.jaccard.into());
    row
}
