// xapian_floor.cc - what Xapian alone costs for mlsearch's first build.
//
// It reads every document of an mlsearch index (terms, wdfs, positions,
// data) into memory, then times only the Xapian side of a first build, as
// indexer/first_build.c drives it: one worker thread per shard, each
// adding its run of documents in one transaction, then the shards merged
// by compaction.  Tokenizing, parsing and weighing cost nothing here, so
// no build of the same documents through Xapian can be faster than this.
//
//   g++ -O2 -std=c++17 bench/proto/xapian_floor.cc -o /tmp/xapian_floor -lxapian -pthread
//   /tmp/xapian_floor INDEX/gen-N OUT [--jobs N] [--batch DOCS] [--no-positions]
//
// --batch commits every DOCS documents (mlsearch commits a worker's batch
// at 5000 / jobs passages: about 160 documents on the bench corpus).
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

struct term_entry {
    std::string term;
    Xapian::termcount wdf;
    std::vector<Xapian::termpos> positions;
};

struct doc_entry {
    std::string data;
    std::vector<term_entry> terms;
};

double seconds()
{
    using clock = std::chrono::steady_clock;
    return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

std::vector<doc_entry> read_all(const std::string &path)
{
    Xapian::Database db(path);
    std::vector<doc_entry> docs;
    for (Xapian::docid id = 1; id <= db.get_lastdocid(); id++) {
        Xapian::Document d = db.get_document(id);
        doc_entry e{d.get_data(), {}};
        for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
            term_entry te{*t, t.get_wdf(), {}};
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
                te.positions.push_back(*p);
            e.terms.push_back(std::move(te));
        }
        docs.push_back(std::move(e));
    }
    return docs;
}

// One worker: documents [from, to) into a shard of its own.
void build_shard(const std::vector<doc_entry> &docs, size_t from, size_t to,
                 const std::string &path, bool positions, size_t batch, int flags)
{
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE_OR_OVERWRITE | flags);
    w.begin_transaction(true);
    for (size_t i = from; i < to; i++) {
        Xapian::Document d;
        d.set_data(docs[i].data);
        for (const term_entry &t : docs[i].terms) {
            if (positions)
                for (Xapian::termpos p : t.positions)
                    d.add_posting(t.term, p, 0);
            d.add_term(t.term, t.wdf);
        }
        w.add_document(d);
        if (batch && (i - from + 1) % batch == 0) {
            w.commit_transaction();
            w.begin_transaction(true);
        }
    }
    w.commit_transaction();
    w.close();
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: xapian_floor INDEX OUT [--jobs N] [--batch DOCS] [--no-positions]\n");
        return 2;
    }
    size_t jobs = 2, batch = 0;
    int flags = 0;
    bool positions = true;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
            jobs = std::stoul(argv[++i]);
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
            batch = std::stoul(argv[++i]);
        else if (!strcmp(argv[i], "--no-sync"))
            flags |= Xapian::DB_NO_SYNC;
        else if (!strcmp(argv[i], "--no-positions"))
            positions = false;
    }
    std::vector<doc_entry> docs = read_all(argv[1]);
    std::string out = argv[2];
    std::filesystem::remove_all(out);
    std::filesystem::create_directories(out);

    double start = seconds();
    std::vector<std::thread> workers;
    Xapian::Database all;
    for (size_t k = 0; k < jobs; k++) {
        size_t from = docs.size() * k / jobs, to = docs.size() * (k + 1) / jobs;
        workers.emplace_back(build_shard, std::cref(docs), from, to,
                             out + "/shard" + std::to_string(k), positions, batch, flags);
    }
    for (std::thread &t : workers)
        t.join();
    double added = seconds();
    for (size_t k = 0; k < jobs; k++)
        all.add_database(Xapian::Database(out + "/shard" + std::to_string(k)));
    all.compact(out + "/merged", Xapian::Compactor::FULL, 8192);
    double merged = seconds();
    printf(
        "%zu documents, %zu jobs, batch %zu%s: add and commit %.2f s, merge %.2f s, total %.2f s\n",
        docs.size(), jobs, batch, positions ? "" : ", no positions", added - start, merged - added,
        merged - start);
    return 0;
}
