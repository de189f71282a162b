//! What calamine's `.xls` reader spends writing out one formula as text
//! (its `parse_formula`), which it does for every formula cell of every
//! sheet when it opens the file (fuzz/README.md finding 17). A formula is
//! stored as tokens (ptgs) for a stack machine; calamine builds its text in
//! one string, and several tokens insert into that string rather than
//! append to it: a space token puts up to 255 spaces in front of an operand
//! one at a time, each moving everything after it. A 20 KB file holding one
//! formula of 4,000 such tokens took 10 s to open; a 64 KB formula, the
//! most one record holds, some three minutes, and a file may hold
//! thousands. Other tokens add far more text than their bytes: a 5-byte
//! name token is the name, up to 255 characters; a 9-byte number is up to
//! 330 digits.
//!
//! The tokens are walked here as calamine walks them (the same lengths and
//! the same operands on its stack, so the walk stays in step and stops
//! where calamine fails), keeping for each operand at least the length of
//! its text, which lies at the end of the string (an operand's tokens come
//! after those of the operands below it); for each token, the most text it
//! adds and the most bytes it moves are counted.

/// Upper bounds on what writing out one formula takes.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Cost {
    /// Bytes of the formula's text (UTF-8).
    pub text: u64,
    /// Bytes moved within the text while it is built: calamine's time.
    pub moved: u64,
}

/// The longest texts a token can name: a defined name, a sheet's name
/// (each in UTF-8, as calamine decodes them), whether the workbook is BIFF8
/// (Excel 97 and later) or older, whose tokens are shorter.
#[derive(Debug, Clone, Copy)]
pub struct Names {
    pub name: u64,
    pub sheet: u64,
    pub biff8: bool,
}

/// The text calamine writes for a formula it cannot read ("Unrecognised
/// formula for cell (row, col): " and the error), at most.
const UNREADABLE: u64 = 160;
/// The longest number calamine writes (`{}` of an f64 writes every digit:
/// 1e308 is 309 of them, the smallest subnormal 0.000…5 is 326 characters).
const NUMBER: u64 = 330;
/// The longest function name in calamine's table (CUBEMEMBERPROPERTY).
const FUNCTION: u64 = 18;
/// A cell reference with its `$` marks: `$XFD$65536`, and 4 letters for
/// the widest column calamine's arithmetic can give.
const REF: u64 = 12;

/// calamine's `parse_formula` on `rgce` (a Formula record's data from byte
/// 20: the token stream's length, then the tokens).
pub fn cost(rgce: &[u8], names: &Names) -> Cost {
    let mut walk = Walk::default();
    let read = walk.tokens(rgce, names).is_some() && walk.0.depth() == 1;
    let text = walk.0.text();
    // Appending copies each byte about twice over, as the string grows.
    let moved = walk.0.moved().saturating_add(2 * text);
    Cost {
        // A formula it cannot read is written as a message instead; the
        // time spent before it gave up is spent all the same.
        text: if read { text } else { UNREADABLE },
        moved,
    }
}

/// calamine's stack of operands as a formula is written out, by length
/// (shared by the `.xls` walk here and the `.xlsb` one, whose tokens
/// differ but whose operators write the same way): at least the length of
/// each operand's text, text outside any, and the bytes moved. Each
/// operator is `None` where calamine's stack has too few operands (its
/// `StackLen` error).
#[derive(Default)]
pub(super) struct Operands {
    /// At least the length of each operand's text, for each operand on
    /// calamine's stack; an operand's text lies after those below it.
    stack: Vec<u64>,
    /// Text that belongs to no operand (a percent sign with none).
    loose: u64,
    moved: u64,
}

impl Operands {
    /// An operand of at most `len` bytes pushed.
    pub(super) fn push(&mut self, len: u64) {
        self.stack.push(len);
    }

    /// How many operands are on the stack.
    pub(super) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// At least the bytes of the text written so far.
    pub(super) fn text(&self) -> u64 {
        self.loose + self.stack.iter().sum::<u64>()
    }

    /// At least the bytes moved within the text so far.
    pub(super) fn moved(&self) -> u64 {
        self.moved
    }

    /// `bytes` more moved (an inner formula's work, its text copied in).
    pub(super) fn moves(&mut self, bytes: u64) {
        self.moved = self.moved.saturating_add(bytes);
    }

    /// The top `n` operands taken off the stack: their length.
    fn pop(&mut self, n: u64) -> Option<u64> {
        let keep = self.stack.len().checked_sub(usize::try_from(n).ok()?)?;
        Some(self.stack.drain(keep..).sum())
    }

    fn top(&mut self) -> Option<&mut u64> {
        self.stack.last_mut()
    }

    /// A binary operator: the second operand split off and written back
    /// after the operator (at most 2 bytes). calamine asks only for the
    /// second: with no first, what it writes belongs to no operand.
    pub(super) fn binary(&mut self) -> Option<()> {
        let second = self.pop(1)?;
        self.moves(2 * second);
        match self.top() {
            Some(first) => *first += 2 + second,
            None => self.loose += 2 + second,
        }
        Some(())
    }

    /// `grow` bytes inserted before the top operand one at a time (unary
    /// signs, an opening bracket and its closing one, spaces), each moving
    /// the operand and what was inserted before it.
    pub(super) fn insert(&mut self, grow: u64, one_at_a_time: u64) -> Option<()> {
        let top = *self.top()?;
        self.moves(one_at_a_time.saturating_mul(top + grow));
        *self.top()? += grow;
        Some(())
    }

    /// A percent sign, appended: to the top operand, or to no operand.
    pub(super) fn percent(&mut self) {
        match self.top() {
            Some(top) => *top += 1,
            None => self.loose += 1,
        }
    }

    /// AttrSum: the top operand split off and written back in `SUM( )`.
    pub(super) fn sum(&mut self) -> Option<()> {
        let top = *self.top()?;
        self.moves(2 * top);
        *self.top()? += 5;
        Some(())
    }

    /// A function of `argc` arguments: they are split off and written back
    /// inside its name's brackets, with commas; `None` also where calamine
    /// knows no function `known` (after moving the arguments).
    pub(super) fn function(&mut self, argc: u64, known: bool) -> Option<()> {
        let args = self.pop(argc)?;
        self.moves(2 * args);
        known.then_some(())?;
        self.push(FUNCTION + 2 + argc + args);
        Some(())
    }
}

/// The tokens walk of an `.xls` formula.
#[derive(Default)]
struct Walk(Operands);

impl Walk {
    fn push(&mut self, len: u64) {
        self.0.push(len);
    }

    /// `Some` if calamine reads every token; `None` where it fails or
    /// panics, having spent what was counted so far.
    fn tokens(&mut self, rgce: &[u8], names: &Names) -> Option<()> {
        let cce = u16::from_le_bytes([*rgce.first()?, *rgce.get(1)?]) as usize;
        let mut r = Tokens(rgce.get(2..2 + cce)?);
        let old = !names.biff8;
        while let Some(ptg) = r.byte() {
            match ptg {
                // Ref3d, Area3d, RefErr3d, AreaErr3d: a sheet's name and a
                // reference, or #REF!.
                0x3a | 0x5a | 0x7a => {
                    r.need(6)?;
                    self.push(names.sheet + 1 + REF);
                    r.skip(6)?;
                }
                0x3b | 0x5b | 0x7b => {
                    r.need(10)?;
                    self.push(names.sheet + 2 + 2 * REF);
                    r.skip(10)?;
                }
                0x3c | 0x5c | 0x7c => {
                    r.need(2)?;
                    self.push(names.sheet + 6);
                    r.skip(6)?;
                }
                0x3d | 0x5d | 0x7d => {
                    r.need(2)?;
                    self.push(names.sheet + 6);
                    r.skip(10)?;
                }
                // Exp: a shared formula's anchor, written as nothing.
                0x01 => {
                    self.push(0);
                    r.skip(4)?;
                }
                // A binary operator: the second operand split off and
                // written back after the operator.
                0x03..=0x11 => self.0.binary()?,
                // Unary plus and minus, brackets: inserted before the
                // operand.
                0x12 | 0x13 => self.0.insert(1, 1)?,
                // Percent: appended, with no operand needed.
                0x14 => self.0.percent(),
                // Brackets: "(" inserted, ")" appended.
                0x15 => self.0.insert(2, 1)?,
                0x16 => self.push(0), // MissArg: an empty operand
                // Str: quoted text of up to 255 characters.
                0x17 => {
                    let cch = r.byte()? as u64;
                    if old {
                        r.skip(cch as usize)?;
                        self.push(2 + 3 * cch);
                    } else {
                        let wide = r.byte()? & 0x1 != 0;
                        r.skip(if wide { 2 * cch } else { cch } as usize)?;
                        self.push(2 + 6 * cch);
                    }
                }
                0x18 => r.skip(5)?,
                0x19 => self.attribute(&mut r)?,
                0x1C => {
                    self.push(13); // #GETTING_DATA
                    let err = r.byte()?;
                    if ![0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A, 0x2B].contains(&err) {
                        return None;
                    }
                }
                0x1D => {
                    self.push(5); // FALSE
                    r.byte()?;
                }
                0x1E => {
                    r.need(2)?;
                    self.push(5);
                    r.skip(2)?;
                }
                0x1F => {
                    r.need(8)?;
                    self.push(NUMBER);
                    r.skip(8)?;
                }
                0x20 | 0x40 | 0x60 => {
                    self.push(10); // {PtgArray}
                    r.skip(7)?;
                }
                // Func (the count of arguments from calamine's table) and
                // FuncVar (the count given): the arguments split off and
                // written back inside the function's brackets.
                0x21 | 0x41 | 0x61 | 0x22 | 0x42 | 0x62 => {
                    let (iftab, argc) = if ptg & 0x0F == 0x02 {
                        r.need(3)?;
                        let argc = r.0[0] as u64;
                        let iftab = u16::from_le_bytes([r.0[1], r.0[2]]) as usize;
                        r.skip(3)?;
                        (iftab, argc)
                    } else {
                        r.need(2)?;
                        let iftab = u16::from_le_bytes([r.0[0], r.0[1]]) as usize;
                        let argc = *FUNCTION_ARGUMENTS.get(iftab)? as u64;
                        r.skip(2)?;
                        (iftab, argc)
                    };
                    // calamine: no such function past its table.
                    self.0.function(argc, iftab < FUNCTION_ARGUMENTS.len())?;
                }
                // Name: a defined name, or #REF!.
                0x23 | 0x43 | 0x63 => {
                    r.need(4)?;
                    self.push(names.name.max(5));
                    r.skip(4)?;
                }
                // Ref, Area (shorter before BIFF8), RefErr, AreaErr, NameX.
                0x24 | 0x44 | 0x64 => {
                    let n = if old { 3 } else { 4 };
                    r.need(n)?;
                    self.push(REF);
                    r.skip(n)?;
                }
                0x25 | 0x45 | 0x65 => {
                    let n = if old { 6 } else { 8 };
                    r.need(n)?;
                    self.push(2 * REF + 1);
                    r.skip(n)?;
                }
                0x2A | 0x4A | 0x6A => {
                    self.push(5);
                    r.skip(if old { 3 } else { 4 })?;
                }
                0x2B | 0x4B | 0x6B => {
                    self.push(5);
                    r.skip(if old { 6 } else { 8 })?;
                }
                0x39 | 0x59 => {
                    self.push(10); // [PtgNameX]
                    r.skip(6)?;
                }
                _ => return None, // calamine: an unrecognised token
            }
        }
        Some(())
    }

    /// An Attr token (0x19): most are skipped; AttrSum wraps the operand
    /// in SUM( ); AttrSpace inserts up to 255 spaces or returns before the
    /// operand, one at a time.
    fn attribute(&mut self, r: &mut Tokens) -> Option<()> {
        match r.byte()? {
            0x01 | 0x02 | 0x08 | 0x20 | 0x21 => r.skip(2),
            0x04 => {
                r.need(2)?;
                let n = u16::from_le_bytes([r.0[0], r.0[1]]) as usize + 1;
                r.skip(2 + 2 * n)
            }
            0x10 => {
                r.skip(2)?;
                self.0.sum()
            }
            0x40 | 0x41 => {
                (self.0.depth() > 0).then_some(())?;
                let kind = r.byte()?;
                if kind > 0x06 {
                    return None;
                }
                // Each space moves the operand and the spaces before it.
                let cch = r.byte()? as u64;
                self.0.insert(cch, cch)
            }
            _ => None,
        }
    }
}

/// The tokens not yet read.
struct Tokens<'a>(&'a [u8]);

impl Tokens<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    /// `None` (calamine panics) unless `n` more bytes are there.
    fn need(&self, n: usize) -> Option<()> {
        (self.0.len() >= n).then_some(())
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        self.0 = self.0.get(n..)?;
        Some(())
    }
}

/// The number of arguments of each function calamine's `.xls` reader
/// knows (`FTAB_ARGC` in calamine 0.38's `utils.rs`, MIT licence), by its
/// number in a Func token: a Func token takes that many operands off the
/// stack. 254 and 255 mark functions of a variable count (calamine takes
/// them at their word).
pub(super) const FUNCTION_ARGUMENTS: [u8; 485] = [
    255, 3, 1, 1, 255, 255, 255, 255, 1, 1, 0, 254, 255, 2, 3, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1,
    2, 3, 4, 2, 3, 1, 1, 0, 0, 255, 255, 1, 2, 3, 3, 3, 3, 3, 3, 255, 3, 2, 4, 4, 4, 4, 1, 1, 1, 5,
    5, 5, 5, 6, 3, 2, 0, 3, 3, 3, 1, 1, 1, 2, 1, 1, 1, 0, 1, 1, 1, 5, 2, 2, 3, 3, 1, 2, 0, 1, 1, 2,
    0, 1, 2, 2, 2, 0, 0, 1, 2, 1, 1, 255, 4, 4, 2, 7, 1, 1, 2, 2, 2, 4, 1, 1, 1, 1, 2, 2, 2, 1, 4,
    4, 1, 3, 1, 3, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2, 2, 1, 1, 3, 4, 5, 3, 2, 2, 2, 255,
    255, 1, 4, 5, 5, 5, 5, 1, 3, 4, 3, 1, 1, 1, 1, 1, 2, 6, 6, 255, 2, 4, 1, 0, 0, 2, 2, 3, 2, 1,
    1, 1, 4, 255, 1, 2, 1, 2, 2, 3, 1, 3, 4, 255, 255, 3, 3, 2, 1, 3, 1, 1, 0, 0, 2, 3, 3, 4, 2, 2,
    3, 3, 2, 2, 1, 1, 3, 0, 0, 5, 3, 0, 7, 0, 1, 0, 3, 255, 255, 1, 1, 1, 1, 1, 1, 3, 11, 1, 0, 2,
    3, 5, 4, 4, 1, 0, 5, 5, 1, 0, 0, 1, 2, 2, 1, 255, 1, 1, 2, 3, 3, 1, 1, 1, 2, 3, 3, 3, 2, 255,
    5, 1, 5, 4, 2, 2, 2, 3, 3, 1, 3, 3, 3, 1, 1, 2, 4, 3, 2, 4, 3, 3, 3, 4, 1, 3, 1, 3, 1, 2, 3, 3,
    4, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 4, 4, 255, 255, 255, 255, 255, 255, 3, 2, 2, 2, 2, 3,
    255, 2, 2, 4, 4, 3, 255, 2, 9, 2, 3, 4, 1, 1, 255, 3, 2, 1, 2, 1, 4, 3, 1, 2, 2, 4, 5, 2, 128,
    2, 1, 255, 255, 255, 255, 255, 255, 255, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 255, 255, 3, 3, 4, 2,
    1, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 255, 255, 4,
    1, 1, 2, 2, 2, 1, 1, 2, 2, 1, 2, 2, 2, 2, 3, 3, 6, 6, 5, 5, 5, 5, 5, 3, 3, 3, 7, 7, 2, 2, 2, 2,
    6, 6, 2, 2, 3, 4, 4, 4, 4, 4, 4, 6, 6, 8, 8, 8, 8, 2, 2, 7, 7, 8, 8, 5, 3, 3, 255, 255, 255, 2,
    4, 5, 1, 2, 128, 129, 3, 129,
];

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: Names = Names {
        name: 30,
        sheet: 20,
        biff8: true,
    };

    /// A Formula record's data from byte 20: the tokens' length, then them.
    fn rgce(tokens: &[u8]) -> Vec<u8> {
        let mut r = (tokens.len() as u16).to_le_bytes().to_vec();
        r.extend(tokens);
        r
    }

    const INT_40: [u8; 3] = [0x1E, 40, 0];
    const INT_2: [u8; 3] = [0x1E, 2, 0];

    // fuzz/README.md finding 17.
    #[test]
    fn a_formula_is_measured_as_calamine_writes_it() {
        // 40*2: two numbers of at most 5 characters and an operator.
        let mul = [&INT_40[..], &INT_2, &[0x05]].concat();
        let c = cost(&rgce(&mul), &NAMES);
        assert_eq!(c.text, 12);
        assert_eq!(c.moved, 2 * 5 + 2 * 12);
        // SUM(40, 2) with FuncVar (2 arguments, function 4), and ROUND
        // with Func (function 27, whose 2 arguments come from the table).
        let sum = [&INT_40[..], &INT_2, &[0x22, 2, 4, 0]].concat();
        assert_eq!(cost(&rgce(&sum), &NAMES).text, 18 + 2 + 2 + 10);
        let round = [&INT_40[..], &INT_2, &[0x21, 27, 0]].concat();
        assert_eq!(cost(&rgce(&round), &NAMES).text, 18 + 2 + 2 + 10);
        // A name, a reference to another sheet, a number in full.
        let name = rgce(&[0x23, 1, 0, 0, 0]);
        assert_eq!(cost(&name, &NAMES).text, 30);
        let sheet = rgce(&[0x3A, 0, 0, 0, 0, 0, 0]);
        assert_eq!(cost(&sheet, &NAMES).text, 20 + 1 + REF);
        let number = [&[0x1F][..], &1e308f64.to_le_bytes()].concat();
        assert_eq!(cost(&rgce(&number), &NAMES).text, NUMBER);
        // Before BIFF8 a reference is 3 bytes, not 4.
        let old = Names {
            biff8: false,
            ..NAMES
        };
        let sum = rgce(&[0x24, 0, 0, 0, 0x24, 0, 0, 0, 0x03]);
        assert_eq!(cost(&sum, &old).text, 2 * REF + 2); // A1+A1
        assert_eq!(cost(&sum, &NAMES).text, UNREADABLE); // then 0x00: no token
        let cut = rgce(&[0x24, 0, 0, 0, 0x24, 0, 0]);
        assert_eq!(cost(&cut, &old).text, UNREADABLE);
    }

    #[test]
    fn a_formula_calamine_cannot_read_is_written_as_a_message() {
        for tokens in [
            &[0xFF][..],                     // no such token
            &[0x03],                         // an operator with no operands
            &[0x1E, 1],                      // cut short
            &[0x1E, 1, 0, 0x1E, 2, 0],       // two operands left
            &[0x21, 0xFF, 0x01],             // no such function (511)
            &[0x1E, 1, 0, 0x22, 2, 4, 0],    // SUM of two with one there
            &[0x1E, 1, 0, 0x19, 0x40, 7, 1], // a space of no known kind
            &[0x1C, 0x99],                   // no such error
        ] {
            let c = cost(&rgce(tokens), &NAMES);
            assert_eq!(c.text, UNREADABLE, "{tokens:?}");
        }
        // A length past the record's end, or none.
        assert_eq!(cost(&[9, 0, 0x1E], &NAMES).text, UNREADABLE);
        assert_eq!(cost(&[], &NAMES).text, UNREADABLE);
    }

    // Found in review: calamine's binary operator asks only for its second
    // operand, so a formula may go on past one with no first; the spaces
    // after it still cost the square of their count.
    #[test]
    fn an_operator_with_only_its_second_operand_goes_on() {
        let lone = cost(&rgce(&[0x1E, 1, 0, 0x03]), &NAMES);
        assert_eq!(lone.text, UNREADABLE); // nothing left on the stack
        let mut t = vec![0x1E, 1, 0, 0x03, 0x1E, 40, 0];
        for _ in 0..1_000 {
            t.extend([0x19, 0x40, 0x00, 0xFF]);
        }
        let c = cost(&rgce(&t), &NAMES);
        assert_eq!(c.text, 5 + 2 + 5 + 255_000);
        assert!(c.moved > 30_000_000_000, "{c:?}");
    }

    // fuzz/README.md finding 17: each space token inserts up to 255
    // spaces before its operand one at a time, so the bytes moved grow
    // with the square of the formula's length.
    #[test]
    fn spaces_inserted_one_at_a_time_cost_the_square_of_the_length() {
        let spaces = |n: usize| {
            let mut t = INT_40.to_vec();
            for _ in 0..n {
                t.extend([0x19, 0x40, 0x00, 0xFF]);
            }
            cost(&rgce(&t), &NAMES)
        };
        let (one, hundred, thousand) = (spaces(1), spaces(100), spaces(1_000));
        assert_eq!(one.text, 5 + 255);
        assert_eq!(thousand.text, 5 + 255_000);
        // Ten times the tokens, about a hundred times the bytes moved.
        let ratio = thousand.moved / hundred.moved;
        assert!((95..=105).contains(&ratio), "{ratio}");
        assert!(thousand.moved > 30_000_000_000, "{thousand:?}");
        // Brackets and unary signs move the operand once each.
        let brackets = [&INT_40[..], &[0x15; 1_000]].concat();
        let c = cost(&rgce(&brackets), &NAMES);
        assert_eq!(c.text, 5 + 2_000);
        assert!(c.moved < 3_000_000, "{c:?}");
    }
}
