#!/usr/bin/env python3
"""A peer of `meritlist score`, written as an HR analyst would with pandas.

    python3 benches/peer/pandas_score.py EXAM_DIR OUTDIR --format csv|xlsx

Scores an exam written by `cargo run --release --example gen` (file names,
lottery seed, header aliases, weights, maxima and pass marks from its
exam.toml; the components are the generator's: written, oral from three
raters, agility pass/fail) and writes eligibility-list.csv,
not-eligible.csv, scores.csv, eligibility-list.xlsx (three sheets, pandas'
default writer) and result.json. No notices.

Straightforward on purpose: pd.read_csv / pd.read_excel (openpyxl), merges,
a row function applied for the status, Decimal for every score (exact,
ROUND_HALF_UP is half away from zero). Correct on the generated files, with
no validation beyond what pandas and Decimal raise on their own.
"""

import argparse
import hashlib
import json
import re
import sys
import time
import tomllib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

start = time.perf_counter()

NO_RESULT = ["absent", "abs", "no show", "no-show", "noshow", "dna", "did not appear", "pending", "n/a", "na"]
YES = ["yes", "y", "true", "t", "1", "x"]
MAIL = ["mail", "mailed", "by mail", "us mail", "usps", "postal"]
DEGREE_NAMES = {
    "": "none", "none": "none",
    "associate": "associate", "associates": "associate", "aa": "associate", "as": "associate", "aas": "associate",
    "bachelor": "bachelor", "bachelors": "bachelor", "ba": "bachelor", "bs": "bachelor", "bsc": "bachelor",
    "bba": "bachelor", "bsw": "bachelor", "bscj": "bachelor",
    "master": "master", "masters": "master", "ma": "master", "ms": "master", "msc": "master", "mba": "master",
    "mpa": "master", "med": "master", "mcj": "master", "mscj": "master", "msw": "master",
    "doctorate": "doctorate", "phd": "doctorate", "edd": "doctorate", "jd": "doctorate", "dpa": "doctorate",
}
BOARD_FINDINGS = {
    "A1": "the Board found a preliminary requirement for the position lacking",
    "A2": "the Board found a disability or inhibition that renders the applicant unable to perform the bona fide occupational requirements of the position, with no reasonable accommodation",
    "A3": "the Board found conflicting interests that may impair effectiveness, including criminal background or business interests",
    "A4": "the Board found a false statement on the application",
    "A5": "the Board found use or attempted use of political pressure or bribery",
    "A6": "the Board found a previous dismissal for just cause or an unsatisfactory service record",
    "A7": "the Board found on review that the application was presented beyond the deadline or not signed",
    "A8": "disqualified at the applicant's own request",
    "A9": "the Board found an ample number of better qualified candidates available",
}
CENT = Decimal("0.01")


def log(msg):
    print(f"[pandas {time.perf_counter() - start:7.2f} s] {msg}", file=sys.stderr)


def clean_header(h):
    return re.sub(r"[\W_]+", "_", str(h).lower()).strip("_")


parser = argparse.ArgumentParser()
parser.add_argument("exam_dir")
parser.add_argument("outdir")
parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
args = parser.parse_args()

folder = Path(args.exam_dir)
with open(folder / "exam.toml", "rb") as f:
    exam = tomllib.load(f, parse_float=Decimal)
exam_id = exam["exam"]["id"]
deadline = exam["exam"]["application_deadline"]
seed = exam.get("ranking", {}).get("lottery_seed", exam_id)
min_age = exam.get("requirements", {}).get("min_age", 21)
components = {c["name"]: c for c in exam["components"]}
written_max = Decimal(components["written"]["max"])
oral_max = Decimal(components["oral"].get("max", 100))
written_weight = Decimal(components["written"]["weight"])
oral_weight = Decimal(components["oral"]["weight"])
written_mark = Decimal(components["written"]["pass_mark"])
oral_mark = Decimal(components["oral"]["pass_mark"])
degree_points = {"none": Decimal(0), "associate": Decimal(1), "bachelor": Decimal(2), "master": Decimal(3), "doctorate": Decimal(3)}
officer_points = Decimal(3)
aliases = {clean_header(v): k for k, v in exam["inputs"].get("columns", {}).items()}


def load(name):
    path = folder / name
    if args.format == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        df = pd.read_excel(path)  # openpyxl
    df.columns = [aliases.get(clean_header(c), clean_header(c)) for c in df.columns]
    # IDs as text: a number cell 1042 is "1042"
    df["applicant_id"] = df["applicant_id"].map(lambda v: str(int(v)) if isinstance(v, float) else str(v).strip())
    return df


inputs = exam["inputs"]
applicants = load(inputs["applicants"])
written = load(inputs["scores"][0])
oral = load(inputs["scores"][1])
agility = load(inputs["scores"][2])
determinations = load(inputs["determinations"])
clearances = load(inputs["clearances"])
log("read inputs")


def to_date(v):
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT or v == "":
        return None
    if isinstance(v, (pd.Timestamp,)):
        return v.date()
    if isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def yes(v):
    return str(v).strip().lower() in YES


def no_result(v):
    return v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "" or str(v).strip().lower() in NO_RESULT


def two_places(x):
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


for col in ["received_on", "postmarked_on", "date_of_birth"]:
    applicants[col] = applicants[col].map(to_date)
applicants["mail"] = applicants["delivery"].fillna("").astype(str).str.strip().str.lower().isin(MAIL)
applicants["filing_date"] = applicants.apply(lambda r: r["postmarked_on"] if r["mail"] else r["received_on"], axis=1)

# --- scores ---
written["written"] = written["written"].map(
    lambda v: None if no_result(v) else two_places(Decimal(str(v)) * 100 / written_max)
)
rater_cols = components["oral"].get("columns", ["oral_r1", "oral_r2", "oral_r3"])


def oral_score(row):
    raters = [row[c] for c in rater_cols]
    if all(no_result(v) for v in raters):
        return None
    if any(no_result(v) for v in raters):
        raise ValueError(f"applicant {row['applicant_id']}: a rater is missing")
    total = sum(Decimal(str(v)) for v in raters)
    return two_places(total * 100 / (len(raters) * oral_max))


oral["oral"] = oral.apply(oral_score, axis=1)


def pass_fail(v):
    if no_result(v):
        return None
    v = str(v).strip().lower()
    if v in ["pass", "p", "passed"] + YES:
        return "pass"
    if v in ["fail", "f", "failed", "no", "n", "false", "0"]:
        return "fail"
    raise ValueError(f"not pass/fail: {v}")


agility["agility"] = agility["agility"].map(pass_fail)

# --- Board findings: one text per applicant and ground ---
determinations["ground"] = determinations["ground"].astype(str).str.strip().str.upper().str.replace("DQ-", "", regex=False)
determinations["decided_on"] = determinations["decided_on"].map(to_date)
findings = {}
for (applicant, ground), group in determinations.groupby(["applicant_id", "ground"]):
    # the same finding listed twice counts once: the later date, the notes joined in sorted order
    text = BOARD_FINDINGS[ground]
    dates = [d for d in group["decided_on"] if isinstance(d, date)]
    if dates:
        text += f" on {max(dates).isoformat()}"
    notes = sorted({n.strip() for n in group["note"] if isinstance(n, str) and n.strip()})
    if notes:
        text += ": " + "; ".join(notes)
    findings.setdefault(applicant, {})[ground] = text + f" (Disqualification A.{ground[1:]})"

df = (
    applicants.merge(written[["applicant_id", "written"]], on="applicant_id", how="left")
    .merge(oral[["applicant_id", "oral"]], on="applicant_id", how="left")
    .merge(agility[["applicant_id", "agility"]], on="applicant_id", how="left")
)
clearance_cols = [c for c in clearances.columns if c != "applicant_id"]
for c in clearance_cols:
    clearances[c] = clearances[c].map(to_date)
df["written"] = df["written"].astype(object).where(df["written"].notna(), None)
df["oral"] = df["oral"].astype(object).where(df["oral"].notna(), None)
df["agility"] = df["agility"].astype(object).where(df["agility"].notna(), None)
log("merged")


def age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def evaluate(r):
    """Status, codes and reasons for one applicant (SPEC 4.2)."""
    codes, reasons = [], []
    if not yes(r["us_citizen"]):
        codes.append("CITIZENSHIP")
        reasons.append("not a U.S. citizen; sworn personnel must be citizens (Citizenship)")
    age = age_on(r["date_of_birth"], deadline)
    if age < min_age:
        codes.append("A1-REQUIREMENT")
        reasons.append(
            f"age {age} on the application deadline {deadline} (born {r['date_of_birth']}), "
            f"below the minimum age {min_age} (Disqualification A.1)"
        )
    found = findings.get(r["applicant_id"], {})
    for g in ["A1", "A2", "A3", "A4", "A5", "A6"]:
        if g in found:
            codes.append(g)
            reasons.append(found[g])
    if r["filing_date"] > deadline:
        how = "postmarked" if r["mail"] else "received"
        codes.append("A7-LATE")
        reasons.append(
            f"application filed {r['filing_date']} ({how}), after the deadline {deadline} (Disqualification A.7; Filing of papers)"
        )
    if not yes(r["signed"]):
        codes.append("A7-UNSIGNED")
        reasons.append("application form not signed (Disqualification A.7)")
    for g in ["A7", "A8", "A9"]:
        if g in found:
            codes.append(g)
            reasons.append(found[g])
    if codes:
        return "disqualified", codes, reasons

    missing = []
    if r["written"] is not None and r["written"] < written_mark:
        codes.append("FAILED-written")
        reasons.append(f"written {r['written']} is below the pass mark {written_mark} (Examinations A)")
    if r["oral"] is not None and r["oral"] < oral_mark:
        codes.append("FAILED-oral")
        reasons.append(f"oral {r['oral']} is below the pass mark {oral_mark} (Examinations A)")
    if r["agility"] == "fail":
        codes.append("FAILED-agility")
        reasons.append("failed the agility component (Examinations A)")
    for c in ["written", "oral", "agility"]:
        if r[c] is None:
            missing.append((f"MISSING-{c}", f"no result for {c} (Examinations A)"))
    if codes:
        return "failed", codes + [m[0] for m in missing], reasons + [m[1] for m in missing]
    if missing:
        return "incomplete", [m[0] for m in missing], [m[1] for m in missing]
    return "eligible", [], []


def raw_score(r):
    if r["written"] is None or r["oral"] is None:
        return None
    return two_places(written_weight * r["written"] + oral_weight * r["oral"])


df["raw_score"] = df.apply(raw_score, axis=1)
df[["status", "codes", "reasons"]] = df.apply(evaluate, axis=1, result_type="expand")
log("status")


def degree(v):
    key = "" if no_result(v) else re.sub(r"[.'’ ]|degree", "", str(v).lower())
    return DEGREE_NAMES[key]


eligible = df["status"] == "eligible"
df["officer_points"] = None
df["degree_points"] = None
df.loc[eligible, "officer_points"] = df.loc[eligible, "certified_officer"].map(lambda v: officer_points if yes(v) else Decimal(0))
df.loc[eligible, "degree_points"] = df.loc[eligible, "highest_degree"].map(lambda v: degree_points[degree(v)])
df["preference_points"] = df["officer_points"] + df["degree_points"]
df["final_score"] = df["raw_score"] + df["preference_points"]
df.loc[~eligible, ["preference_points", "final_score"]] = None

# --- the ranked list ---
ranked = df[eligible].copy()
ranked["lottery_key"] = ranked["applicant_id"].map(lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
ranked["final_f"] = ranked["final_score"].astype(float)
ranked["raw_f"] = ranked["raw_score"].astype(float)
ranked = ranked.sort_values(["final_f", "raw_f", "filing_date", "lottery_key"], ascending=[False, False, True, True])
ranked["rank"] = range(1, len(ranked) + 1)
ranked["score_rank"] = ranked["final_f"].rank(method="min", ascending=False).astype(int)
prev = ranked.shift(1)
ranked["tie_break"] = ""
same = ranked["final_f"] == prev["final_f"]
ranked.loc[same, "tie_break"] = "lottery"
ranked.loc[same & (ranked["filing_date"] != prev["filing_date"]), "tie_break"] = "filing_date"
ranked.loc[same & (ranked["raw_f"] != prev["raw_f"]), "tie_break"] = "raw_score"
df = df.merge(ranked[["applicant_id", "rank", "score_rank", "tie_break", "lottery_key"]], on="applicant_id", how="left")
df["rank"] = df["rank"].astype("Int64")
df["score_rank"] = df["score_rank"].astype("Int64")
log("ranked")


def natural(ids):
    return ids.map(lambda i: (0, int(i), i) if i.isdigit() else (1, 0, i))


df = df.sort_values("applicant_id", key=natural)


def fmt(v):
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else f"{v:.2f}"


def safe(s):
    return s.map(lambda v: "'" + v if isinstance(v, str) and v[:1] in "=+-@" else v)


out = Path(args.outdir)
out.mkdir(parents=True, exist_ok=True)
score_cols = ["raw_score", "officer_points", "degree_points", "preference_points", "final_score"]
elig_list = ranked[["rank", "applicant_id", "last_name", "first_name"] + score_cols + ["score_rank", "tie_break"]].copy()
for c in score_cols:
    elig_list[c] = elig_list[c].map(fmt)
not_eligible = df[df["status"] != "eligible"][["applicant_id", "last_name", "first_name", "status"]].copy()
not_eligible["codes"] = df.loc[df["status"] != "eligible", "codes"].map(";".join)
not_eligible["reasons"] = df.loc[df["status"] != "eligible", "reasons"].map("; ".join)
scores = df[["applicant_id", "last_name", "first_name", "status", "written", "oral", "agility", "raw_score", "preference_points", "final_score"]].copy()
for c in ["written", "oral", "raw_score", "preference_points", "final_score"]:
    scores[c] = scores[c].map(fmt)

for frame in [elig_list, not_eligible, scores]:
    frame["last_name"] = safe(frame["last_name"])
    frame["first_name"] = safe(frame["first_name"])
elig_list.to_csv(out / "eligibility-list.csv", index=False)
not_eligible.to_csv(out / "not-eligible.csv", index=False)
scores.to_csv(out / "scores.csv", index=False)
log("csv written")


def numbers(frame, cols):
    frame = frame.copy()
    for c in cols:
        frame[c] = pd.to_numeric(frame[c].replace("", None))
    return frame


with pd.ExcelWriter(out / "eligibility-list.xlsx") as xw:
    numbers(elig_list, score_cols).to_excel(xw, sheet_name="Eligibility List", index=False)
    not_eligible.to_excel(xw, sheet_name="Not Eligible", index=False)
    numbers(scores, ["written", "oral", "raw_score", "preference_points", "final_score"]).to_excel(xw, sheet_name="Scores", index=False)
log("xlsx written")


def plain(v):
    if isinstance(v, list):
        return v
    if v is None or pd.isna(v):
        return None
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if isinstance(v, date):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


records = []
keep = ["applicant_id", "last_name", "first_name", "received_on", "filing_date", "delivery", "signed", "us_citizen",
        "certified_officer", "highest_degree", "date_of_birth", "status", "codes", "reasons", "written", "oral", "agility",
        "raw_score", "officer_points", "degree_points", "preference_points", "final_score", "rank", "score_rank",
        "tie_break", "lottery_key"]
df = df.merge(clearances, on="applicant_id", how="left")
for r in df[keep + clearance_cols].to_dict("records"):
    records.append({k: plain(v) for k, v in r.items()})
with open(out / "result.json", "w") as f:
    json.dump({"exam": exam_id, "applicants": records}, f)
log("json written")
counts = df["status"].value_counts()
print(f"{exam_id}: {len(df)} applicants = {counts.get('eligible', 0)} eligible + {counts.get('failed', 0)} failed + "
      f"{counts.get('incomplete', 0)} incomplete + {counts.get('disqualified', 0)} disqualified (pandas peer, {time.perf_counter() - start:.2f} s)")
