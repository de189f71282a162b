#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let exam = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let scoring = meritlist::run_scoring(&exam, meritlist::Exec::Parallel).unwrap();
    let scored = scoring.scored();
    let head = scored.head();
    let disq: Vec<_> = (0..scored.len())
        .filter(|i| scoring.evals[*i].status == meritlist::rules::Status::Disqualified)
        .take(20000)
        .map(|i| scored.applicant(i))
        .collect();
    let rec = meritlist::record::ListOfRecord {
        format: 1,
        exam: head.exam.clone(),
        list: vec![],
        applicants: disq,
        audit: head.audit.clone(),
    };
    let t = std::time::Instant::now();
    let docs = meritlist::output::notices::notices(&rec);
    let total: usize = docs.files.iter().map(|f| f.1.len()).sum();
    eprintln!(
        "{} docs in {:?}, {} bytes",
        docs.files.len(),
        t.elapsed(),
        total
    );
}
