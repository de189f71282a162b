//! A letter's body and footer as WordprocessingML, written directly (issue
//! 6): building them through docx-rs's element tree took half of each
//! notice's time. The markup is exactly what docx-rs writes for the layout
//! in `notices::layout` — same elements, same order, same escaping — and
//! the test `packed_documents_hold_exactly_the_reference_parts` (in
//! `notices`) holds the two byte for byte on every document of every
//! sample, and on a letter made of every kind of block and awkward text.
//! docx-rs still writes the parts every document shares, and the head and
//! tail of these two (namespaces, page size and margins), once a run.

use super::notices::{Block, Letter};

/// Sizes in half-points and the numbering id, as `notices::layout` sets
/// them.
const LETTERHEAD_SIZE: u32 = 32;
const LETTERHEAD_LINE_SIZE: u32 = 20;
const FOOTER_SIZE: u32 = 18;
const NUMBERING: u32 = 2;

/// Text as docx-rs writes a run's text: the five XML entities escaped, line
/// feeds and carriage returns dropped (a line break is a `<w:br>`). A
/// character XML 1.0 cannot hold (a control character other than tab, as a
/// name or note cell may carry; U+FFFE, U+FFFF) becomes a space: written
/// as it is, as docx-rs would, Word refuses to open the notice.
fn text(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\u{0}'..='\u{8}'
            | '\u{b}'
            | '\u{c}'
            | '\u{e}'..='\u{1f}'
            | '\u{fffe}'
            | '\u{ffff}' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\r' => {}
            _ => out.push(ch),
        }
    }
}

/// A run's properties.
#[derive(Default, Clone, Copy)]
struct RunStyle {
    size: Option<u32>,
    bold: bool,
    italic: bool,
}

impl RunStyle {
    fn bold() -> Self {
        RunStyle {
            bold: true,
            ..Default::default()
        }
    }

    fn sized(size: u32) -> Self {
        RunStyle {
            size: Some(size),
            ..Default::default()
        }
    }

    fn write(&self, out: &mut String) {
        if self.size.is_none() && !self.bold && !self.italic {
            out.push_str("<w:rPr />");
            return;
        }
        out.push_str("<w:rPr>");
        if let Some(sz) = self.size {
            out.push_str(&format!("<w:sz w:val=\"{sz}\" /><w:szCs w:val=\"{sz}\" />"));
        }
        if self.bold {
            out.push_str("<w:b /><w:bCs />");
        }
        if self.italic {
            out.push_str("<w:i /><w:iCs />");
        }
        out.push_str("</w:rPr>");
    }
}

/// What goes in a run, in order.
enum Piece<'a> {
    Text(&'a str),
    Break,
    Tab,
    Field(&'static str),
}

fn run(out: &mut String, style: RunStyle, pieces: &[Piece]) {
    out.push_str("<w:r>");
    style.write(out);
    for p in pieces {
        match p {
            Piece::Text(t) => {
                out.push_str("<w:t xml:space=\"preserve\">");
                text(out, t);
                out.push_str("</w:t>");
            }
            Piece::Break => out.push_str("<w:br w:type=\"textWrapping\" />"),
            Piece::Tab => out.push_str("<w:tab />"),
            Piece::Field(kind) => out.push_str(&format!(
                "<w:fldChar w:fldCharType=\"{kind}\" w:dirty=\"false\" />"
            )),
        }
    }
    out.push_str("</w:r>");
}

/// A paragraph's properties, in docx-rs's order: run properties,
/// numbering, alignment, indent, spacing, borders, keep-next, keep-lines,
/// widow control, tabs.
#[derive(Default)]
struct Para {
    run: RunStyle,
    numbered: bool,
    center: bool,
    /// (left, hanging) in twips.
    indent: Option<(u32, Option<u32>)>,
    /// (before, after) in twips; single line spacing.
    spacing: Option<(u32, u32)>,
    rule_below: bool,
    keep_next: bool,
    keep_lines: bool,
    widow_control: bool,
    /// A left tab at 720, or a right dot-leader tab at 6480.
    tab_left_720: bool,
    tab_right_dots: bool,
}

impl Para {
    fn spaced(before: u32, after: u32) -> Self {
        Para {
            spacing: Some((before, after)),
            ..Default::default()
        }
    }

    fn open(&self, out: &mut String, id: &mut u32) {
        *id += 1;
        out.push_str(&format!("<w:p w14:paraId=\"{:08X}\"><w:pPr>", *id));
        self.run.write(out);
        if self.numbered {
            out.push_str(&format!(
                "<w:numPr><w:numId w:val=\"{NUMBERING}\" /><w:ilvl w:val=\"0\" /></w:numPr>"
            ));
        }
        if self.center {
            out.push_str("<w:jc w:val=\"center\" />");
        }
        match self.indent {
            Some((left, Some(hanging))) => out.push_str(&format!(
                "<w:ind w:left=\"{left}\" w:right=\"0\" w:hanging=\"{hanging}\" />"
            )),
            Some((left, None)) => {
                out.push_str(&format!("<w:ind w:left=\"{left}\" w:right=\"0\" />"))
            }
            None => {}
        }
        if let Some((before, after)) = self.spacing {
            out.push_str(&format!(
                "<w:spacing w:before=\"{before}\" w:after=\"{after}\" w:line=\"240\" w:lineRule=\"auto\" />"
            ));
        }
        if self.rule_below {
            out.push_str(
                "<w:pBdr><w:bottom w:val=\"single\" w:space=\"4\" w:sz=\"6\" w:color=\"auto\" /></w:pBdr>",
            );
        }
        if self.keep_next {
            out.push_str("<w:keepNext />");
        }
        if self.keep_lines {
            out.push_str("<w:keepLines />");
        }
        if self.widow_control {
            out.push_str("<w:widowControl w:val=\"1\" />");
        }
        if self.tab_left_720 {
            out.push_str("<w:tabs><w:tab w:val=\"left\" w:pos=\"720\" /></w:tabs>");
        }
        if self.tab_right_dots {
            out.push_str(
                "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"6480\" /></w:tabs>",
            );
        }
        out.push_str("</w:pPr>");
    }
}

fn close(out: &mut String) {
    out.push_str("</w:p>");
}

/// Lines of one paragraph separated by line breaks (`lines_paragraph`).
fn lines(out: &mut String, lines: &[String], style: RunStyle) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            run(out, style, &[Piece::Break, Piece::Text(line)]);
        } else {
            run(out, style, &[Piece::Text(line)]);
        }
    }
}

/// The paragraphs of `letter`'s body, numbered from 1; returns the last
/// paragraph number used (the footer's paragraph comes next).
pub(super) fn body(out: &mut String, letter: &Letter) -> u32 {
    let mut id = 0;
    let blocks = &letter.blocks;
    for (i, block) in blocks.iter().enumerate() {
        let closing_next = matches!(blocks.get(i + 1), Some(Block::Closing(_)));
        match block {
            Block::Letterhead { name, lines: under } => {
                Para {
                    center: true,
                    spacing: Some((0, 40)),
                    rule_below: under.is_empty(),
                    ..Default::default()
                }
                .open(out, &mut id);
                run(
                    out,
                    RunStyle {
                        size: Some(LETTERHEAD_SIZE),
                        bold: true,
                        italic: false,
                    },
                    &[Piece::Text(name)],
                );
                close(out);
                for (j, line) in under.iter().enumerate() {
                    let last = j + 1 == under.len();
                    Para {
                        center: true,
                        spacing: Some((0, if last { 120 } else { 20 })),
                        rule_below: last,
                        ..Default::default()
                    }
                    .open(out, &mut id);
                    run(
                        out,
                        RunStyle::sized(LETTERHEAD_LINE_SIZE),
                        &[Piece::Text(line)],
                    );
                    close(out);
                }
            }
            Block::Date(d) => {
                Para::spaced(240, 240).open(out, &mut id);
                run(out, RunStyle::default(), &[Piece::Text(d)]);
                close(out);
            }
            Block::Address {
                lines: address,
                note,
            } => {
                Para {
                    keep_lines: true,
                    ..Para::spaced(0, 280)
                }
                .open(out, &mut id);
                lines(out, address, RunStyle::default());
                if let Some(note) = note {
                    run(
                        out,
                        RunStyle {
                            italic: true,
                            ..Default::default()
                        },
                        &[Piece::Break, Piece::Text(note)],
                    );
                }
                close(out);
            }
            Block::Re(re) => {
                Para {
                    indent: Some((720, Some(720))),
                    keep_lines: true,
                    tab_left_720: true,
                    ..Para::spaced(0, 240)
                }
                .open(out, &mut id);
                run(out, RunStyle::bold(), &[Piece::Text("Re:")]);
                run(out, RunStyle::default(), &[Piece::Tab]);
                lines(out, re, RunStyle::bold());
                close(out);
            }
            Block::Para(spans) => {
                Para {
                    widow_control: true,
                    keep_next: closing_next,
                    ..Para::spaced(0, 160)
                }
                .open(out, &mut id);
                for (t, bold) in spans {
                    let style = if *bold {
                        RunStyle::bold()
                    } else {
                        RunStyle::default()
                    };
                    run(out, style, &[Piece::Text(t)]);
                }
                close(out);
            }
            Block::Heading(t) => {
                Para {
                    keep_next: true,
                    ..Para::spaced(0, 120)
                }
                .open(out, &mut id);
                run(out, RunStyle::bold(), &[Piece::Text(t)]);
                close(out);
            }
            Block::List(items) => {
                for (j, item) in items.iter().enumerate() {
                    let last = j + 1 == items.len();
                    Para {
                        numbered: true,
                        widow_control: true,
                        ..Para::spaced(0, if last { 160 } else { 100 })
                    }
                    .open(out, &mut id);
                    run(out, RunStyle::default(), &[Piece::Text(item)]);
                    close(out);
                }
            }
            Block::Rows(rows) => {
                for (j, (label, value)) in rows.iter().enumerate() {
                    let last = j + 1 == rows.len();
                    Para {
                        indent: Some((360, None)),
                        tab_right_dots: true,
                        keep_next: !last,
                        ..Para::spaced(0, if last { 160 } else { 20 })
                    }
                    .open(out, &mut id);
                    run(out, RunStyle::default(), &[Piece::Text(label)]);
                    run(out, RunStyle::default(), &[Piece::Tab, Piece::Text(value)]);
                    close(out);
                }
            }
            Block::Closing(signer) => {
                Para {
                    keep_next: true,
                    ..Para::spaced(0, 0)
                }
                .open(out, &mut id);
                run(out, RunStyle::default(), &[Piece::Text("Sincerely,")]);
                close(out);
                Para {
                    keep_lines: true,
                    ..Para::spaced(720, 0)
                }
                .open(out, &mut id);
                run(
                    out,
                    RunStyle::default(),
                    &[Piece::Text("______________________________")],
                );
                run(out, RunStyle::default(), &[Piece::Break]);
                lines(out, signer, RunStyle::default());
                close(out);
            }
        }
    }
    id
}

/// The footer's one paragraph, numbered `id`: the letter's footer text,
/// "Page N of M" as fields, all in the footer's size.
pub(super) fn footer(out: &mut String, letter: &Letter, mut id: u32) {
    let small = RunStyle::sized(FOOTER_SIZE);
    Para {
        run: small,
        center: true,
        ..Default::default()
    }
    .open(out, &mut id);
    run(
        out,
        small,
        &[Piece::Text(&format!("{} · Page ", letter.footer))],
    );
    let field = |out: &mut String, instr: &str| {
        run(out, small, &[Piece::Field("begin")]);
        out.push_str("<w:r>");
        small.write(out);
        out.push_str(&format!("<w:instrText>{instr}</w:instrText></w:r>"));
        run(out, small, &[Piece::Field("separate")]);
        run(out, small, &[Piece::Text("1")]);
        run(out, small, &[Piece::Field("end")]);
    };
    field(out, "PAGE");
    run(out, small, &[Piece::Text(" of ")]);
    field(out, "NUMPAGES");
    close(out);
}

/// Whether the letter numbers a list (its document then relates
/// numbering.xml).
pub(super) fn numbered(letter: &Letter) -> bool {
    letter
        .blocks
        .iter()
        .any(|b| matches!(b, Block::List(items) if !items.is_empty()))
}
