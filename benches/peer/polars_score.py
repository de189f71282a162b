#!/usr/bin/env python3
"""A peer of `meritlist score`, written for speed with polars.

    python3 benches/peer/polars_score.py EXAM_DIR OUTDIR --format csv|xlsx

Scores an exam written by `cargo run --release --example gen` (its exam.toml
gives the file names, the lottery seed, the header aliases, the weights,
maxima and pass marks; the shape of the components is the generator's:
`written` scored, `oral` scored from rater columns, `agility` pass/fail) and
writes what `meritlist score` writes, less the notices: eligibility-list.csv,
not-eligible.csv, scores.csv, eligibility-list.xlsx (three sheets) and
result.json.

How it is fast: the CSVs are scanned lazily as text and typed with
vectorised expressions; the workbooks are read with calamine (fastexcel),
all six at once; every rule is a polars expression evaluated in one lazy
plan (run by polars 2's default streaming engine); codes and reasons are
built as strings, not lists; every score is integer arithmetic on hundredths (exact, no float
rounding); only the SHA-256 lottery keys of eligible applicants are computed
in Python (hashlib); the workbook is written by a Rust writer (xlsxturbo or
rustpy-xlsxwriter, when installed; polars' write_excel otherwise) in a thread
while the CSVs and the JSON are written.

Checks that keep the answer right are made (duplicate or unknown IDs,
unreadable numbers, booleans, degrees and dates, a rater missing beside
scored ones), but not the cell-by-cell validation and messages meritlist
gives.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import polars as pl

T0 = time.perf_counter()

NA = ["absent", "abs", "no show", "no-show", "noshow", "dna", "did not appear", "pending", "n/a", "na"]
YES = ["yes", "y", "true", "t", "1", "x"]
NO = ["no", "n", "false", "f", "0"]
PASS = YES + ["pass", "p", "passed"]
FAIL = NO + ["fail", "failed"]
MAIL = ["mail", "mailed", "by mail", "us mail", "usps", "postal"]
PERSONAL = ["", "personal", "in person", "hand", "hand delivered", "online", "email"]
DEGREES = {
    "none": "none",
    **{k: "associate" for k in ["associate", "associates", "aa", "as", "aas"]},
    **{k: "bachelor" for k in ["bachelor", "bachelors", "ba", "bs", "bsc", "bba", "bsw", "bscj"]},
    **{k: "master" for k in ["master", "masters", "ma", "ms", "msc", "mba", "mpa", "med", "mcj", "mscj", "msw"]},
    **{k: "doctorate" for k in ["doctorate", "phd", "edd", "jd", "dpa"]},
}
GROUND_TEXT = {
    1: "the Board found a preliminary requirement for the position lacking",
    2: "the Board found a disability or inhibition that renders the applicant unable to perform the bona fide occupational requirements of the position, with no reasonable accommodation",
    3: "the Board found conflicting interests that may impair effectiveness, including criminal background or business interests",
    4: "the Board found a false statement on the application",
    5: "the Board found use or attempted use of political pressure or bribery",
    6: "the Board found a previous dismissal for just cause or an unsatisfactory service record",
    7: "the Board found on review that the application was presented beyond the deadline or not signed",
    8: "disqualified at the applicant's own request",
    9: "the Board found an ample number of better qualified candidates available",
}


def log(msg: str) -> None:
    print(f"[polars {time.perf_counter() - T0:7.3f} s] {msg}", file=sys.stderr)


def norm(h: str) -> str:
    return re.sub(r"[\W_]+", "_", str(h).lower()).strip("_")


def ratio(d: Decimal) -> tuple[int, int]:
    n, q = Decimal(d).as_integer_ratio()
    return n, q


class Bad(Exception):
    pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("exam_dir", type=Path)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--format", choices=["csv", "xlsx"], required=True)
    a = ap.parse_args()
    exam_path = a.exam_dir / "exam.toml" if a.exam_dir.is_dir() else a.exam_dir
    base = exam_path.parent
    with open(exam_path, "rb") as f:
        exam = tomllib.load(f, parse_float=Decimal)
    ex = exam["exam"]
    exam_id = ex["id"]
    deadline = ex["application_deadline"]
    decimals = int(ex.get("decimals", 2))
    if decimals != 2:
        raise Bad("this peer publishes 2 decimals")
    sworn = bool(ex.get("sworn", True))
    seed = exam.get("ranking", {}).get("lottery_seed", exam_id)
    min_age = exam.get("requirements", {}).get("min_age")
    pref = exam.get("preference", {})
    officer_pts = int(Decimal(pref.get("certified_officer", 3)) * 100)
    deg_pts = {"none": 0, "associate": 1, "bachelor": 2, "master": 3, "doctorate": 3}
    deg_pts.update(pref.get("degree", {}))
    deg_h = {k: int(Decimal(v) * 100) for k, v in deg_pts.items()}
    if pref.get("apply_to", "passing") == "none":
        officer_pts = 0
        deg_h = {k: 0 for k in deg_h}
    aliases = {norm(v): k for k, v in exam["inputs"].get("columns", {}).items()}
    comps = {c["name"]: c for c in exam["components"]}
    assert list(comps) == ["written", "oral", "agility"], "the generator's components"
    written_c, oral_c = comps["written"], comps["oral"]
    oral_cols = oral_c.get("columns", ["oral"])
    weights = [Decimal(written_c["weight"]), Decimal(oral_c["weight"])]
    wscale = 10 ** max(-w.as_tuple().exponent for w in weights)
    W = [int(w * wscale) for w in weights]
    inputs = exam["inputs"]
    paths = {
        "applicants": base / inputs["applicants"],
        "written": base / inputs["scores"][0],
        "oral": base / inputs["scores"][1],
        "agility": base / inputs["scores"][2],
        "determinations": base / inputs["determinations"],
        "clearances": base / inputs["clearances"],
    }
    for p in paths.values():
        if p.suffix.lower() != "." + a.format:
            raise Bad(f"{p} is not .{a.format}")

    def canon(c: str) -> str:
        n = norm(c)
        return aliases.get(n, n)

    # ---- read: lazily typed text (csv) or calamine (xlsx), all at once ----
    score_files = {"written", "oral", "agility"}
    if a.format == "csv":
        frames = {}
        for k, p in paths.items():
            lf = pl.scan_csv(p, infer_schema=False)
            frames[k] = lf.rename({c: canon(c) for c in lf.collect_schema().names()})
    else:
        def read(k: str) -> pl.LazyFrame:
            # score columns as text (absent/No Show must not be coerced away)
            opts = {"dtypes": "string"} if k in score_files else {}
            df = pl.read_excel(paths[k], engine="calamine", read_options=opts)
            return df.rename({c: canon(c) for c in df.columns}).lazy()

        with ThreadPoolExecutor(6) as pool:
            frames = dict(zip(paths, pool.map(read, paths)))
        log("read workbooks")

    def date(lf: pl.LazyFrame, c: str) -> pl.Expr:
        dt = lf.collect_schema()[c]
        if dt == pl.Date:
            return pl.col(c)
        if dt == pl.Datetime:
            return pl.col(c).dt.date()
        if dt == pl.Null:
            return pl.col(c).cast(pl.Date)
        return pl.col(c).str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=True)

    def text(c: str) -> pl.Expr:
        return pl.col(c).cast(pl.String).str.strip_chars()

    def low(c: str) -> pl.Expr:
        return text(c).str.to_lowercase()

    def ident(lf: pl.LazyFrame) -> pl.Expr:
        dt = lf.collect_schema()["applicant_id"]
        c = pl.col("applicant_id")
        if dt.is_float():
            c = c.cast(pl.Int64, strict=True)
        return c.cast(pl.String).str.strip_chars().alias("applicant_id")

    def boolean(c: str, yes=YES, no=NO) -> pl.Expr:
        s = low(c)
        return pl.when(s.is_in(yes)).then(True).when(s.is_in(no)).then(False).otherwise(None)

    def e4(c: str) -> pl.Expr:
        """A score cell as an exact integer count of 1/10000 (a typed number
        with up to four places), null for no result."""
        s = text(c)
        v = pl.when(s.is_null() | (s == "") | s.str.to_lowercase().is_in(NA)).then(None).otherwise(s)
        return (v.cast(pl.Float64, strict=True) * 10_000).round(0).cast(pl.Int64)

    def scaled(sum_e4: pl.Expr, k: int, mx) -> pl.Expr:
        # hundredths of (sum/k) * 100 / max = sum_e4 / (k * max); half away from zero
        p, q = ratio(mx)
        num, den = sum_e4 * q, k * p
        return (2 * num + den) // (2 * den)

    # ---- typed frames ----
    ap_lf = frames["applicants"]
    dl_md = deadline.month * 100 + deadline.day
    born = date(ap_lf, "date_of_birth")
    deliv = low("delivery").fill_null("")
    applicants = ap_lf.select(
        ident(ap_lf),
        text("last_name").alias("last_name"),
        text("first_name").alias("first_name"),
        deliv.is_in(MAIL).alias("mail"),
        deliv.is_in(MAIL + PERSONAL).alias("delivery_ok"),
        date(ap_lf, "received_on").alias("received_on"),
        date(ap_lf, "postmarked_on").alias("postmarked_on"),
        boolean("signed").alias("signed"),
        boolean("us_citizen").alias("us_citizen"),
        boolean("certified_officer").fill_null(False).alias("certified_officer"),
        low("highest_degree")
        .str.replace_all(r"[.'’ ]|degree", "")
        .replace_strict(DEGREES | {"": "none"}, default=None)
        .fill_null(pl.when(text("highest_degree").fill_null("") == "").then(pl.lit("none")))
        .alias("highest_degree"),
        born.alias("date_of_birth"),
        (
            deadline.year
            - born.dt.year()
            - (pl.lit(dl_md) < born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)).cast(pl.Int32)
        ).alias("age"),
    ).with_columns(
        pl.when(pl.col("mail")).then(pl.col("postmarked_on")).otherwise(pl.col("received_on")).alias("filing_date")
    )

    w_lf = frames["written"]
    written = w_lf.select(ident(w_lf), e4("written").alias("w_e4"))
    o_lf = frames["oral"]
    oral = o_lf.select(ident(o_lf), *[e4(c).alias(f"o{i}") for i, c in enumerate(oral_cols)])
    g_lf = frames["agility"]
    agility = g_lf.select(
        ident(g_lf),
        low("agility").alias("ag_text"),
    ).with_columns(
        pl.when(pl.col("ag_text").is_in(PASS)).then(True)
        .when(pl.col("ag_text").is_in(FAIL)).then(False)
        .otherwise(None).alias("agility")
    )
    d_lf = frames["determinations"]
    dets = (
        d_lf.select(
            ident(d_lf),
            text("ground").str.to_uppercase().str.replace(r"^DQ-", "").str.strip_prefix("A").cast(pl.Int32, strict=True).alias("g"),
            text("note").fill_null("").alias("note"),
            date(d_lf, "decided_on").alias("decided_on"),
        )
        .group_by("applicant_id", "g")
        .agg(pl.col("decided_on").max(), pl.col("note").filter(pl.col("note") != "").unique().sort().str.join("; "))
        .with_columns(
            pl.concat_str(
                pl.col("g").replace_strict(GROUND_TEXT, return_dtype=pl.String),
                pl.when(pl.col("decided_on").is_not_null()).then(pl.format(" on {}", pl.col("decided_on").dt.to_string("%Y-%m-%d"))).otherwise(pl.lit("")),
                pl.when(pl.col("note") != "").then(pl.format(": {}", pl.col("note"))).otherwise(pl.lit("")),
                pl.format(" (Disqualification A.{})", pl.col("g")),
            ).alias("t")
        )
        .group_by("applicant_id")
        .agg(*[pl.col("t").filter(pl.col("g") == g).first().alias(f"A{g}") for g in range(1, 10)])
    )
    c_lf = frames["clearances"]
    agencies = exam.get("certification", {}).get(
        "clearance_agencies",
        ["FBI", "Missouri State Highway Patrol", "St. Louis County Police Department", "Chesterfield Police Department"],
    )
    clear = c_lf.select(
        ident(c_lf),
        date(c_lf, "fingerprinted_on").alias("fingerprinted_on"),
        *[date(c_lf, norm(ag)).alias("cleared_" + norm(ag)) for ag in agencies],
    )

    # ---- cheap checks that keep the answer right ----
    checks = []
    for name, lf in [("applicants", applicants), ("written", written), ("oral", oral), ("agility", agility), ("clearances", clear)]:
        checks.append(lf.select(pl.col("applicant_id").is_duplicated().sum().alias(f"duplicate IDs in {name}")))
    ids = applicants.select("applicant_id")
    for name, lf in [("written", written), ("oral", oral), ("agility", agility), ("determinations", dets), ("clearances", clear)]:
        checks.append(lf.join(ids, on="applicant_id", how="anti").select(pl.len().alias(f"unknown IDs in {name}")))
    checks.append(applicants.select(
        (pl.col("signed").is_null() | pl.col("us_citizen").is_null()).sum().alias("unreadable signed/us_citizen"),
        (~pl.col("delivery_ok")).sum().alias("unknown delivery"),
        pl.col("highest_degree").is_null().sum().alias("unknown degree"),
        (pl.col("received_on").is_null() | pl.col("date_of_birth").is_null() | (pl.col("mail") & pl.col("postmarked_on").is_null())).sum().alias("missing dates"),
    ))
    n_some = pl.sum_horizontal(*[pl.col(f"o{i}").is_not_null().cast(pl.Int32) for i in range(len(oral_cols))])
    checks.append(oral.select(((n_some > 0) & (n_some < len(oral_cols))).sum().alias("a rater missing beside scored ones")))
    checks.append(agility.select((pl.col("agility").is_null() & pl.col("ag_text").is_not_null() & ~pl.col("ag_text").is_in(NA)).sum().alias("unknown pass/fail")))
    wmax_e4 = int(Decimal(written_c["max"]) * 10_000)
    omax_e4 = int(Decimal(oral_c.get("max", 100)) * 10_000)
    checks.append(written.select(((pl.col("w_e4") < 0) | (pl.col("w_e4") > wmax_e4)).sum().alias("written out of range")))
    checks.append(oral.select(pl.any_horizontal(*[(pl.col(f"o{i}") < 0) | (pl.col(f"o{i}") > omax_e4) for i in range(len(oral_cols))]).sum().alias("oral out of range")))

    # ---- rules, one lazy plan ----
    mark = lambda c: int(Decimal(c["pass_mark"]) * 100) if "pass_mark" in c else None
    wm, om = mark(written_c), mark(oral_c)
    osum = pl.sum_horizontal(*[pl.col(f"o{i}") for i in range(len(oral_cols))])
    df = (
        applicants.join(written, on="applicant_id", how="left")
        .join(oral, on="applicant_id", how="left")
        .join(agility.select("applicant_id", "agility"), on="applicant_id", how="left")
        .join(dets, on="applicant_id", how="left")
        .join(clear, on="applicant_id", how="left")
        .with_columns(
            scaled(pl.col("w_e4"), 1, written_c["max"]).alias("w_h"),
            pl.when(pl.col("o0").is_not_null()).then(scaled(osum, len(oral_cols), oral_c.get("max", 100))).alias("o_h"),
        )
        .with_columns(
            ((2 * (W[0] * pl.col("w_h") + W[1] * pl.col("o_h")) + wscale) // (2 * wscale)).alias("raw_h"),
        )
    )
    h2s = lambda e: pl.format("{}.{}", e // 100, (e % 100).cast(pl.String).str.zfill(2))
    dl = deadline.isoformat()
    late = pl.col("filing_date") > pl.lit(deadline)
    dq_parts = [
        (pl.lit(sworn) & (pl.col("us_citizen") == False), "CITIZENSHIP", pl.lit("not a U.S. citizen; sworn personnel must be citizens (Citizenship)")),  # noqa: E712
    ]
    if min_age is not None:
        dq_parts.append((pl.col("age") < min_age, "A1-REQUIREMENT", pl.format(
            "age {} on the application deadline " + dl + " (born {}), below the minimum age " + str(min_age) + " (Disqualification A.1)",
            pl.col("age"), pl.col("date_of_birth").dt.to_string("%Y-%m-%d"))))
    dq_parts += [(pl.col(f"A{g}").is_not_null(), f"A{g}", pl.col(f"A{g}")) for g in range(1, 7)]
    dq_parts += [
        (late, "A7-LATE", pl.format(
            "application filed {} ({}), after the deadline " + dl + " (Disqualification A.7; Filing of papers)",
            pl.col("filing_date").dt.to_string("%Y-%m-%d"),
            pl.when(pl.col("mail")).then(pl.lit("postmarked")).otherwise(pl.lit("received")))),
        (pl.col("signed") == False, "A7-UNSIGNED", pl.lit("application form not signed (Disqualification A.7)")),  # noqa: E712
    ]
    dq_parts += [(pl.col(f"A{g}").is_not_null(), f"A{g}", pl.col(f"A{g}")) for g in range(7, 10)]
    fail_parts = []
    if wm is not None:
        fail_parts.append((pl.col("w_h") < wm, "FAILED-written", pl.format("written {} is below the pass mark " + str(written_c["pass_mark"]) + " (Examinations A)", h2s(pl.col("w_h")))))
    if om is not None:
        fail_parts.append((pl.col("o_h") < om, "FAILED-oral", pl.format("oral {} is below the pass mark " + str(oral_c["pass_mark"]) + " (Examinations A)", h2s(pl.col("o_h")))))
    fail_parts.append((pl.col("agility") == False, "FAILED-agility", pl.lit("failed the agility component (Examinations A)")))  # noqa: E712
    miss_parts = [
        (pl.col("w_h").is_null(), "MISSING-written", pl.lit("no result for written (Examinations A)")),
        (pl.col("o_h").is_null(), "MISSING-oral", pl.lit("no result for oral (Examinations A)")),
        (pl.col("agility").is_null(), "MISSING-agility", pl.lit("no result for agility (Examinations A)")),
    ]

    def any_of(parts):
        return pl.any_horizontal(*[c.fill_null(False) for c, _, _ in parts])

    def joined(parts):
        # codes joined with ";" and reasons with a unit separator (split for
        # the JSON, "; " in the CSV): strings, not lists, which are slow
        codes = pl.concat_str([pl.when(c).then(pl.lit(k)) for c, k, _ in parts], separator=";", ignore_nulls=True)
        texts = pl.concat_str([pl.when(c).then(t) for c, _, t in parts], separator="\x1f", ignore_nulls=True)
        return codes, texts

    status = (
        pl.when(any_of(dq_parts)).then(pl.lit("disqualified"))
        .when(any_of(fail_parts)).then(pl.lit("failed"))
        .when(any_of(miss_parts)).then(pl.lit("incomplete"))
        .otherwise(pl.lit("eligible"))
    )
    dq_c, dq_t = joined(dq_parts)
    fm_c, fm_t = joined(fail_parts + miss_parts)
    df = df.with_columns(status.alias("status")).with_columns(
        pl.when(pl.col("status") == "disqualified").then(dq_c).when(pl.col("status") != "eligible").then(fm_c).alias("codes"),
        pl.when(pl.col("status") == "disqualified").then(dq_t).when(pl.col("status") != "eligible").then(fm_t).alias("reasons"),
    )
    elig = pl.col("status") == "eligible"
    df = df.with_columns(
        pl.when(elig).then(pl.when(pl.col("certified_officer")).then(officer_pts).otherwise(0)).alias("off_h"),
        pl.when(elig).then(pl.col("highest_degree").replace_strict(deg_h, return_dtype=pl.Int64)).alias("deg_h"),
    ).with_columns(
        (pl.col("off_h") + pl.col("deg_h")).alias("pref_h"),
    ).with_columns(
        (pl.col("raw_h") + pl.col("pref_h")).alias("final_h"),
    )

    res = pl.collect_all([df, *checks])
    df, checks = res[0], res[1:]
    problems = {k: v for c in checks for k, v in c.row(0, named=True).items() if v}
    if problems:
        raise Bad("input problems: " + ", ".join(f"{k}: {v}" for k, v in problems.items()))
    log(f"rules on {df.height} applicants")

    # ---- rank the eligible ----
    el = df.filter(elig).select("applicant_id", "last_name", "first_name", "raw_h", "off_h", "deg_h", "pref_h", "final_h", "filing_date")
    pre = (seed + ":").encode()
    sha = hashlib.sha256
    el = el.with_columns(pl.Series("lottery_key", [sha(pre + i.encode()).hexdigest() for i in el["applicant_id"].to_list()], dtype=pl.String))
    el = (
        el.sort(["final_h", "raw_h", "filing_date", "lottery_key"], descending=[True, True, False, False])
        .with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.UInt32).alias("rank"),
            pl.col("final_h").rank("min", descending=True).alias("score_rank"),
            pl.when(pl.col("final_h") == pl.col("final_h").shift(1)).then(
                pl.when(pl.col("raw_h") != pl.col("raw_h").shift(1)).then(pl.lit("raw_score"))
                .when(pl.col("filing_date") != pl.col("filing_date").shift(1)).then(pl.lit("filing_date"))
                .otherwise(pl.lit("lottery"))
            ).alias("tie_break"),
        )
    )
    log(f"ranked {el.height}")

    # ---- every applicant, in natural ID order ----
    num = pl.col("applicant_id").str.contains(r"^[0-9]+$")
    stripped = pl.col("applicant_id").str.strip_chars_start("0")
    everyone = (
        df.lazy()
        .join(el.lazy().select("applicant_id", "rank", "score_rank", "tie_break", "lottery_key"), on="applicant_id", how="left")
        .sort(
            [~num, pl.when(num).then(stripped.str.len_bytes()).otherwise(0), pl.when(num).then(stripped).otherwise(pl.lit("")), pl.col("applicant_id")],
        )
    )
    safe = lambda c: pl.when(pl.col(c).str.contains(r"^[=+\-@]")).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
    scores_lf = everyone.select(
        "applicant_id", safe("last_name"), safe("first_name"), "status",
        h2s(pl.col("w_h")).alias("written"), h2s(pl.col("o_h")).alias("oral"),
        pl.when(pl.col("agility")).then(pl.lit("pass")).when(pl.col("agility") == False).then(pl.lit("fail")).alias("agility"),  # noqa: E712
        h2s(pl.col("raw_h")).alias("raw_score"), h2s(pl.col("pref_h")).alias("preference_points"), h2s(pl.col("final_h")).alias("final_score"),
    )
    ne_lf = everyone.filter(~elig).select(
        "applicant_id", safe("last_name"), safe("first_name"), "status",
        "codes", pl.col("reasons").str.replace_all("\x1f", "; ", literal=True).alias("reasons"),
    )
    json_lf = everyone.select(
        "applicant_id", "last_name", "first_name",
        pl.col("received_on").dt.to_string("%Y-%m-%d").alias("received_on"),
        pl.col("filing_date").dt.to_string("%Y-%m-%d").alias("filing_date"),
        pl.when(pl.col("mail")).then(pl.lit("mail")).otherwise(pl.lit("personal")).alias("delivery"),
        "signed", "us_citizen", "certified_officer", "highest_degree",
        pl.col("date_of_birth").dt.to_string("%Y-%m-%d").alias("date_of_birth"),
        "status",
        pl.col("codes").str.split(";").fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("codes"),
        pl.col("reasons").str.split("\x1f").fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("reasons"),
        h2s(pl.col("w_h")).alias("written"), h2s(pl.col("o_h")).alias("oral"),
        pl.when(pl.col("agility")).then(pl.lit("pass")).when(pl.col("agility") == False).then(pl.lit("fail")).alias("agility"),  # noqa: E712
        h2s(pl.col("raw_h")).alias("raw_score"),
        h2s(pl.col("off_h")).alias("officer_points"), h2s(pl.col("deg_h")).alias("degree_points"),
        h2s(pl.col("pref_h")).alias("preference_points"), h2s(pl.col("final_h")).alias("final_score"),
        "rank", "score_rank", "tie_break", "lottery_key",
        pl.col("fingerprinted_on").dt.to_string("%Y-%m-%d").alias("fingerprinted_on"),
        *[pl.col("cleared_" + norm(ag)).dt.to_string("%Y-%m-%d").alias("cleared_" + norm(ag)) for ag in agencies],
    )
    list_df = el.select(
        "rank", "applicant_id", safe("last_name"), safe("first_name"),
        h2s(pl.col("raw_h")).alias("raw_score"), h2s(pl.col("off_h")).alias("officer_points"),
        h2s(pl.col("deg_h")).alias("degree_points"), h2s(pl.col("pref_h")).alias("preference_points"),
        h2s(pl.col("final_h")).alias("final_score"), "score_rank", "tie_break",
    )
    scores_df, ne_df, json_df = pl.collect_all([scores_lf, ne_lf, json_lf])
    log("outputs built")

    # ---- write: the workbook in a thread, the CSVs and JSON meanwhile ----
    out = a.outdir
    out.mkdir(parents=True, exist_ok=True)

    def workbook():
        # In the workbook, scores are numbers (2 places) and ranks integers.
        def numeric(d: pl.DataFrame, cols) -> pl.DataFrame:
            return d.with_columns([pl.col(c).cast(pl.Float64) for c in cols if c in d.columns])
        sheets = [
            (numeric(list_df, ["raw_score", "officer_points", "degree_points", "preference_points", "final_score"]), "Eligibility List"),
            (ne_df, "Not Eligible"),
            (numeric(scores_df, ["written", "oral", "raw_score", "preference_points", "final_score"]), "Scores"),
        ]
        sheets = [(d.head(1_048_575), n) for d, n in sheets]
        path = str(out / "eligibility-list.xlsx")
        writer = os.environ.get("PEER_XLSX_WRITER", "auto")
        if writer in ("auto", "xlsxturbo"):
            try:
                import xlsxturbo
                xlsxturbo.dfs_to_xlsx(
                    [(d, n, {"column_formats": {c: {"num_format": "0.00"} for c in d.columns if d.schema[c] == pl.Float64}}) for d, n in sheets],
                    path, constant_memory=True, freeze_panes=True,
                )
                return "xlsxturbo"
            except ImportError:
                if writer != "auto":
                    raise
        if writer in ("auto", "rustpy"):
            try:
                from rustpy_xlsxwriter import FastExcel
                fx = FastExcel(path).format(float_format="0.00")
                for d, n in sheets:
                    fx = fx.sheet(n, d)
                fx.save()
                return "rustpy-xlsxwriter"
            except ImportError:
                if writer != "auto":
                    raise
        import xlsxwriter
        with xlsxwriter.Workbook(path) as wb:
            for d, n in sheets:
                d.write_excel(wb, worksheet=n, float_precision=2, autofit=False)
        return "xlsxwriter (polars write_excel)"

    with ThreadPoolExecutor(1) as pool:
        wb = pool.submit(workbook)
        list_df.write_csv(out / "eligibility-list.csv")
        ne_df.write_csv(out / "not-eligible.csv")
        scores_df.write_csv(out / "scores.csv")
        json_df.write_json(out / "result.json")
        log("csv + json written")
        used = wb.result()
    log(f"xlsx written ({used})")
    counts = df["status"].value_counts()
    c = dict(zip(counts["status"], counts["count"]))
    print(
        f"{exam_id}: {df.height} applicants = {c.get('eligible', 0)} eligible + {c.get('failed', 0)} failed + "
        f"{c.get('incomplete', 0)} incomplete + {c.get('disqualified', 0)} disqualified (polars peer, {time.perf_counter() - T0:.3f} s)"
    )


if __name__ == "__main__":
    try:
        main()
    except Bad as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
