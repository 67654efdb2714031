// xapian_shim.cc - the C interface of db.h and stemmer.h over Xapian; the
// only C++ file.
//
// Every extern "C" function has the same shape: a try block doing the
// work, and catch clauses that turn any exception into a status through
// one classifier, keeping Xapian's description for mls_db_message().
// Nothing C++ crosses the boundary: no exception, no Xapian type.
#include "mlsearch/db.h"
#include "mlsearch/internal/stemmer.h"

#include <xapian.h>

#include <cerrno>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fnmatch.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <unistd.h>
#include <new>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

// The index directory holds a Xapian stub file, `index`, naming the
// current generation, a glass database in `gen-N/`.  Readers and writers
// open the stub; compaction writes generation N+1 beside N and switches the
// stub with one rename, so a reader sees the old index or the new one,
// never a half-made one, and a crash leaves the old one in place.
struct mls_db {
    Xapian::Database reader;          // used by searches (READ)
    Xapian::WritableDatabase writer;  // used by updates (WRITE)
    bool writable = false;
    bool in_transaction = false;
    std::string dir;               // the index directory
    unsigned long generation = 0;  // N of gen-N, for writers
    std::string shard;             // a shard's own directory (see db.h)
    bool unpublished = false;      // a new generation no stub names yet
    size_t parts = 1;              // indexes joined by mls_db_join()
    std::string message;
    Xapian::Database &db() { return writable ? writer : reader; }
};

struct mls_doc {
    Xapian::Document doc;
};

struct mls_stemmer {
    Xapian::Stem stemmer;
    std::string stem;  // the last stem, borrowed by the caller
};

// A query tree of our own, turned into a Xapian::Query only when it runs,
// against the database: Xapian 1.4 cannot put a wildcard inside a phrase,
// so a prefix inside a phrase is expanded there into the OR of the terms
// that the database holds with that prefix (which a phrase does accept).
struct mls_xq {
    enum Kind {
        TERM,
        PREFIX,
        PATHS,
        AND,
        OR,
        PHRASE,
        AND_NOT,
        FILTER,
        AND_MAYBE,
        NEAR,
        SCALE,
        STEM,
        VALUE_RANGE
    } kind;
    std::string text;                       // TERM, PREFIX, PATHS (the pattern)
    std::vector<mls_xq> subs;               // AND, OR, PHRASE, AND_NOT; SCALE has one
    double factor = 1.0;                    // SCALE
    std::string prefix = "";                // PATHS: the prefix of the path terms;
                                            // STEM: the Z term of the stem
    Xapian::valueno slot = 0;               // VALUE_RANGE, from `text` (if has_from)
    bool has_from = false, has_to = false;  // to `prefix` (if has_to)
};

// The hits' data is fetched one at a time, when asked for: a query that
// matches a million passages (`mlsearch -l の`) must not hold them all.
struct mls_mset {
    Xapian::MSet mset;
    std::string data;  // the last data asked for
    mls_db *db;        // whose message tells a failure
};

namespace {

// Copies `value` into `buf`, cut to `size` - 1 bytes, NUL-terminated.
void copy_value(const std::string &value, char *buf, size_t size)
{
    size_t n = std::min(value.size(), size - 1);
    memcpy(buf, value.data(), n);
    buf[n] = '\0';
}

// Whether the system error `err` is the reason for `e`: Xapian keeps it
// as the error string, or only in the message when it wraps one failure
// in another ("Modifications failed (... No space left on device)").
bool caused_by(const Xapian::Error &e, int err)
{
    const char *why = e.get_error_string();
    return (why && !strcmp(why, strerror(err))) ||
           e.get_msg().find(strerror(err)) != std::string::npos;
}

// What Xapian says when the bytes it reads are not what it wrote: a
// table cut short ("EOF reading block N"), unreadable ("Error reading
// block N"), flipped bits in compressed data ("inflate failed"), a list
// naming a document that is not there.  The cure is the same: a rebuild.
// Only Xapian's own wording counts: its messages also quote paths.
bool damaged(const std::string &type, const std::string &msg)
{
    static const char *const signs[] = {"EOF reading block", "Error reading block",
                                        "inflate failed", "chunks of compressed data"};
    if (type == "DatabaseCorruptError" || type == "DocNotFoundError")
        return true;
    if (type != "DatabaseError")
        return false;
    for (const char *sign : signs)
        if (msg.find(sign) != std::string::npos)
            return true;
    return false;
}

// Maps an exception to a status; the single place that knows Xapian's
// exception hierarchy.  Xapian::Error is not polymorphic, so the class is
// told by its name.
mls_status classify(const Xapian::Error &e)
{
    std::string type = e.get_type();
    if (caused_by(e, ENOSPC))
        return MLS_ERR_NO_SPACE;
    if (caused_by(e, EACCES) || caused_by(e, EPERM))
        return MLS_ERR_DB_ACCESS;
    if (type == "DatabaseLockError")
        return MLS_ERR_DB_LOCKED;
    if (type == "DatabaseModifiedError")
        return MLS_ERR_DB_MODIFIED;
    if (type == "DatabaseNotFoundError")
        return MLS_ERR_DB_NOT_FOUND;
    if (type == "NetworkError" || type == "NetworkTimeoutError")
        return MLS_ERR_NETWORK;
    if (type == "WildcardError")
        return MLS_ERR_QUERY_TOO_LARGE;
    if (damaged(type, e.get_msg()))
        return MLS_ERR_DB_CORRUPT;
    return MLS_ERR_DB;
}

// Runs `body`, a callable returning mls_status, turning exceptions into a
// status and keeping their description in *message (when not NULL).
template <typename Body>
mls_status guarded(std::string *message, Body body)
{
    try {
        if (message)
            message->clear();
        return body();
    } catch (const Xapian::Error &e) {
        mls_status st = classify(e);
        if (message) {
            try {
                // Someone else's index: the reason is all there is to say.
                *message = st == MLS_ERR_DB_ACCESS ? strerror(caused_by(e, EPERM) ? EPERM : EACCES)
                                                   : e.get_description();
            } catch (...) {
            }
        }
        return st;
    } catch (const std::bad_alloc &) {
        return MLS_ERR_NOMEM;
    } catch (...) {
        return MLS_ERR_INTERNAL;
    }
}

// Xapian 1.4.22 (Debian 12's) keeps a document's data compressed and can
// fail to read back data of over 8 KiB that compresses well (a pasted
// log): "Too few chunks of compressed data", when zlib has used up the
// input while output is still pending at its reader's 8 KiB boundary.
// Such data is stored with a tail zlib cannot shorten (no three bytes of
// it repeat, and none occurs in UTF-8 text or in our records), so the
// input outlasts the output; but for a length of 1 past a multiple of
// 8 KiB (the last byte's code may have been read already), which one
// byte more avoids.  The tail is taken off again when the data is read.
const char data_tail[] = "\xF7\xF8\xF9\xFA\xFB\xFC\xFD\xFE\xFF\xF8\xFA\xFC\xFE\xF9\xFB\xFD\xFF";
const size_t data_tail_long = sizeof data_tail - 1;  // with the extra byte
const size_t data_tail_from = 4096;                  // bytes of data: well below 8 KiB
const size_t zlib_reader_block = 8192;

// Blocks of the compacted tables: Xapian's default.  A search reads a
// block for each note's positions, and Xapian reads it again for the next
// lookup: larger blocks (64 KiB) made the index 1% smaller and searches a
// sixth slower on the bench corpus.
const int compact_block_size = 8192;

// Compactor::FULL splits an item across two blocks where that fills the
// first: 0.7% smaller than Database::compact()'s default (STANDARD) on
// the bench corpus, and, unlike FULLER, still fit for later updates.
const unsigned compact_level = Xapian::Compactor::FULL;

std::string data_to_store(const char *data, size_t len)
{
    std::string s(data, len);
    if (len >= data_tail_from) {
        size_t n = data_tail_long - 1;
        if ((len + n) % zlib_reader_block == 1)
            n++;
        s.append(data_tail + data_tail_long - n, n);
    }
    return s;
}

std::string data_stored(std::string s)
{
    for (size_t n = data_tail_long; n + 1 >= data_tail_long; n--) {
        if (s.size() >= data_tail_from + n &&
            !s.compare(s.size() - n, n, data_tail + data_tail_long - n, n)) {
            s.resize(s.size() - n);
            break;
        }
    }
    return s;
}

// `s` handed to C: a malloc'd, NUL-terminated copy in *out.
mls_status copy_out(const std::string &s, char **out, size_t *len)
{
    char *copy = static_cast<char *>(std::malloc(s.size() + 1));
    if (!copy)
        return MLS_ERR_NOMEM;
    std::memcpy(copy, s.data(), s.size());
    copy[s.size()] = '\0';
    *out = copy;
    *len = s.size();
    return MLS_OK;
}

// A C copy of `found` in *out, *count (NULL and 0 when it is empty).
mls_status copy_out(const std::vector<unsigned> &found, unsigned **out, size_t *count)
{
    if (found.empty())
        return MLS_OK;
    unsigned *copy = static_cast<unsigned *>(malloc(found.size() * sizeof *copy));
    if (!copy)
        return MLS_ERR_NOMEM;
    std::copy(found.begin(), found.end(), copy);
    *out = copy;
    *count = found.size();
    return MLS_OK;
}

// Xapian counts documents in 32 bits; a larger count means "all".
Xapian::doccount as_doccount(size_t n)
{
    const size_t most = std::numeric_limits<Xapian::doccount>::max();
    return static_cast<Xapian::doccount>(n < most ? n : most);
}

const char stub_name[] = "index";

std::string generation_name(unsigned long n)
{
    return "gen-" + std::to_string(n);
}

bool exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

// The generation the stub names: 0 if there is no stub.  A stub that does
// not name a generation is left for Xapian to judge when it opens it.
unsigned long current_generation(const std::string &dir)
{
    std::ifstream stub(dir + "/" + stub_name);
    std::string backend, name;
    if (!(stub >> backend >> name) || name.compare(0, 4, "gen-") != 0)
        return 0;
    return std::strtoul(name.c_str() + 4, nullptr, 10);
}

// Points the stub at generation n: written beside it, flushed, renamed
// over it (atomic), so no reader ever finds a stub half written.
void switch_stub(const std::string &dir, unsigned long n)
{
    std::string tmp = dir + "/" + stub_name + ".tmp";
    {
        std::ofstream stub(tmp, std::ios::trunc);
        stub << "glass " << generation_name(n) << "\n";
        stub.flush();
        if (!stub)
            throw Xapian::DatabaseError("cannot write " + tmp, std::string(), errno);
    }
    int fd = open(tmp.c_str(), O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    if (rename(tmp.c_str(), (dir + "/" + stub_name).c_str()) != 0)
        throw Xapian::DatabaseError("cannot replace " + dir + "/" + stub_name, errno);
    // The rename itself survives a power cut only once the directory is
    // on disk.
    fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

// Removes the generations other than `keep`: left by a compaction that
// was killed, or replaced by one that finished.  Readers still reading an
// old one keep their open files.
void remove_other_generations(const std::string &dir, unsigned long keep)
{
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        if (name.compare(0, 4, "gen-") == 0 && name != generation_name(keep))
            std::filesystem::remove_all(entry.path(), ec);
    }
}

// Opens the generation the stub names, for db->writable or for reading.
// Once there is a stub, an index that does not open (the stub garbled,
// its generation gone or cut short) is damaged, whatever Xapian calls it:
// the cure is the same, a rebuild.
void open_current(mls_db *db, const std::string &stub)
{
    try {
        if (current_generation(db->dir) == 0)
            throw Xapian::DatabaseCorruptError(stub + " names no database");
        if (db->writable)
            db->writer = Xapian::WritableDatabase(stub, Xapian::DB_OPEN);
        else
            db->reader = Xapian::Database(stub);
    } catch (const Xapian::DatabaseLockError &) {
        throw;
    } catch (const Xapian::DatabaseOpeningError &e) {
        const char *why = e.get_error_string();
        if (why && (!strcmp(why, strerror(EACCES)) || !strcmp(why, strerror(EPERM))))
            throw;  // not damaged: someone else's
        throw Xapian::DatabaseCorruptError(e.get_msg(), e.get_context());
    }
}

// The end of an open: *out, or the failure's description in *message.
mls_status opened(mls_status st, mls_db *db, const std::string &why, mls_db **out, char **message)
{
    if (st) {
        delete db;
        if (message && !why.empty())
            *message = strdup(why.c_str());
        return st;
    }
    *out = db;
    return MLS_OK;
}

// Runs `body` against the reader, reopening and running it again when a
// writer committed twice while it read (that revision's blocks may then
// be reused, and Xapian says so with DatabaseModifiedError).
// A damaged block can make Xapian say the same, although nobody wrote:
// then the revision does not move, and the index is said to be damaged.
template <typename Body>
mls_status reading(mls_db *db, Body body)
{
    for (int attempt = 0;; attempt++) {
        try {
            return body();
        } catch (const Xapian::DatabaseModifiedError &e) {
            if (attempt == 4)
                throw;
            if (!db->db().reopen())
                throw Xapian::DatabaseCorruptError(e.get_msg(), e.get_context());
        }
    }
}

}  // namespace

extern "C" {

mls_status mls_db_open(const char *dir, mls_db_mode mode, mls_db **out, char **message)
{
    std::string why;
    mls_db *db = nullptr;

    *out = nullptr;
    if (message)
        *message = nullptr;
    mls_status st = guarded(&why, [&] {
        std::string stub = std::string(dir) + "/" + stub_name;
        struct stat sb;
        if (mode == MLS_DB_READ && stat(dir, &sb) == 0 && S_ISREG(sb.st_mode)) {
            // Not an index directory but a Xapian stub file of the
            // user's ("remote HOST:PORT", "auto PATH"...): opened as
            // it says.
            db = new mls_db;
            db->dir = dir;
            try {
                db->reader = Xapian::Database(dir, Xapian::DB_BACKEND_STUB);
            } catch (const Xapian::DatabaseNotFoundError &) {
                throw;  // a stub naming a database that is not there
            } catch (const Xapian::DatabaseOpeningError &e) {
                if (caused_by(e, EACCES) || caused_by(e, EPERM))
                    throw;
                // `--db /etc/passwd`: a file, but not one of Xapian's.
                why = "not an index directory, nor a Xapian stub file (" + e.get_msg() + ")";
                return MLS_ERR_INVALID;
            }
            return MLS_OK;
        }
        if (mode == MLS_DB_READ) {
            // No index, or one we may not read: not the same advice.
            int fd = open(stub.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
            if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
                return MLS_ERR_DB_NOT_FOUND;
            if (fd < 0 && (errno == EACCES || errno == EPERM)) {
                why = strerror(errno);
                return MLS_ERR_DB_ACCESS;
            }
            if (fd >= 0)
                close(fd);
        }
        db = new mls_db;
        db->dir = dir;
        if (mode == MLS_DB_READ) {
            // A compaction may remove the generation the stub named just
            // before we opened it: read the stub again.
            for (int attempt = 0;; attempt++) {
                try {
                    open_current(db, stub);
                    return MLS_OK;
                } catch (const Xapian::DatabaseCorruptError &) {
                    if (attempt == 2)
                        throw;
                }
            }
        }
        db->writable = true;
        db->generation = current_generation(db->dir);
        bool published = exists(stub);
        if (mode == MLS_DB_REBUILD || !published) {
            // A new, empty generation, unpublished: readers go on seeing
            // the stub's (or no index at all) until the build switches
            // the stub to its own (mls_db_compact).  Nothing of the old
            // one is read, and whatever a killed build left is removed.
            remove_other_generations(db->dir, published ? db->generation : 0);
            db->generation++;
            db->unpublished = true;
            db->writer =
                Xapian::WritableDatabase(db->dir + "/" + generation_name(db->generation),
                                         Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
            return MLS_OK;
        }
        open_current(db, stub);
        remove_other_generations(db->dir, db->generation);
        return MLS_OK;
    });
    return opened(st, db, why, out, message);
}

void mls_db_close(mls_db *db)
{
    if (!db)
        return;
    guarded(nullptr, [&] {
        if (db->writable) {
            if (db->in_transaction)
                db->writer.cancel_transaction();
            db->writer.close();  // commits what is outside a transaction
        } else {
            db->reader.close();
        }
        return MLS_OK;
    });
    // A shard, or a build that was never published, is of no use to
    // anyone now: its space is given back (a killed run's is, by the next).
    std::error_code ec;
    if (!db->shard.empty())
        std::filesystem::remove_all(db->shard, ec);
    if (db->unpublished)
        std::filesystem::remove_all(db->dir + "/" + generation_name(db->generation), ec);
    delete db;
}

mls_status mls_db_open_remote(const char *host, unsigned port, unsigned timeout_ms, mls_db **out,
                              char **message)
{
    std::string why;
    mls_db *db = nullptr;
    *out = nullptr;
    if (message)
        *message = nullptr;
    mls_status st = guarded(&why, [&] {
        db = new mls_db;
        db->dir = std::string(host) + ":" + std::to_string(port);
        useconds_t timeout = static_cast<useconds_t>(timeout_ms);
        db->reader = Xapian::Remote::open(host, port, timeout, timeout);
        return MLS_OK;
    });
    return opened(st, db, why, out, message);
}

mls_status mls_db_join(mls_db *const *parts, size_t n, mls_db **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        if (n == 0)
            return MLS_ERR_INVALID;
        auto *db = new mls_db;
        for (size_t i = 0; i < n; i++) {
            if (parts[i]->writable || parts[i]->parts != 1) {
                delete db;
                return MLS_ERR_INVALID;
            }
            db->reader.add_database(parts[i]->reader);
        }
        db->dir = parts[0]->dir;
        db->parts = n;
        // The joined index now holds the parts' databases: their handles
        // go (closing one would close them for the joined index too).
        for (size_t i = 0; i < n; i++)
            delete parts[i];
        *out = db;
        return MLS_OK;
    });
}

const char *mls_db_message(const mls_db *db)
{
    return db ? db->message.c_str() : "";
}

mls_status mls_db_reopen(mls_db *db)
{
    return guarded(&db->message, [&] {
        db->db().reopen();
        return MLS_OK;
    });
}

mls_status mls_db_begin(mls_db *db)
{
    return guarded(&db->message, [&] {
        if (!db->writable || db->in_transaction)
            return MLS_ERR_INVALID;
        db->writer.begin_transaction(true);  // flushed: durable on commit
        db->in_transaction = true;
        return MLS_OK;
    });
}

mls_status mls_db_commit(mls_db *db)
{
    return guarded(&db->message, [&] {
        if (!db->writable)
            return MLS_ERR_INVALID;
        if (db->in_transaction) {
            db->in_transaction = false;
            db->writer.commit_transaction();
        } else {
            db->writer.commit();
        }
        return MLS_OK;
    });
}

mls_status mls_db_cancel(mls_db *db)
{
    return guarded(&db->message, [&] {
        if (!db->writable || !db->in_transaction)
            return MLS_ERR_INVALID;
        db->in_transaction = false;
        db->writer.cancel_transaction();
        return MLS_OK;
    });
}

mls_status mls_db_shard_new(mls_db *db, unsigned k, mls_db **out)
{
    *out = nullptr;
    return guarded(&db->message, [&] {
        if (!db->writable || db->generation == 0)
            return MLS_ERR_INVALID;
        // Named as a generation, so that whatever a killed build leaves
        // is removed by the next writer's open like any stale generation.
        // Nothing reads a shard but the compaction that merges it, whose
        // output is synced: its own commits need not wait for the disk
        // (a tenth of a first build's time on the bench corpus).
        std::string path =
            db->dir + "/" + generation_name(db->generation + 1) + ".shard-" + std::to_string(k);
        auto *shard = new mls_db;
        try {
            shard->writer =
                Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OVERWRITE |
                                                   Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
        } catch (...) {
            delete shard;
            throw;
        }
        shard->writable = true;
        shard->dir = db->dir;
        shard->shard = path;
        *out = shard;
        return MLS_OK;
    });
}

mls_status mls_db_compact(mls_db *db, mls_db *const *shards, size_t n)
{
    return guarded(&db->message, [&] {
        if (!db->writable || db->in_transaction || db->generation == 0)
            return MLS_ERR_INVALID;
        for (size_t i = 0; i < n; i++)
            if (shards[i]->shard.empty() || shards[i]->in_transaction)
                return MLS_ERR_INVALID;
        unsigned long next = db->generation + 1;
        std::string target = db->dir + "/" + generation_name(next);
        std::error_code ec;
        std::filesystem::remove_all(target, ec);  // a killed compaction's
        db->writer.commit();
        // One database over the index and its shards, in that order:
        // compaction numbers their documents one after the other.
        Xapian::Database all(db->writer);
        for (size_t i = 0; i < n; i++) {
            shards[i]->writer.close();  // commits
            shards[i]->writable = false;
            all.add_database(Xapian::Database(shards[i]->shard));
        }
        try {
            all.compact(target, compact_level, compact_block_size);
        } catch (...) {
            // Half a copy (the disk filled up?) must not hold the space
            // until the next run.
            std::filesystem::remove_all(target, ec);
            throw;
        }
        switch_stub(db->dir, next);
        db->unpublished = false;
        // Still holding the old generation's lock, let it go with it.
        db->writer.close();
        db->writable = false;
        remove_other_generations(db->dir, next);
        db->generation = next;
        return MLS_OK;
    });
}

mls_status mls_db_check(mls_db *db)
{
    return guarded(&db->message, [&] {
        unsigned long n = db->writable ? db->generation : current_generation(db->dir);
        std::ostringstream found;
        try {
            // Faults in a B-tree's structure are thrown; others (a term's
            // counts that do not add up, a chunk that does not unpack) are
            // counted, each said in a line of `found`.
            if (Xapian::Database::check(db->dir + "/" + generation_name(n), 0, &found)) {
                std::string all = found.str(), first;
                std::istringstream lines(all);
                while (std::getline(lines, first))
                    if (first.find("rror") != std::string::npos)
                        break;
                throw Xapian::DatabaseCorruptError(first.empty() ? all : first);
            }
        } catch (const Xapian::DatabaseCorruptError &) {
            throw;
        } catch (const Xapian::DatabaseOpeningError &) {
            throw;
        } catch (const Xapian::DatabaseError &e) {
            // "Block 58 item 286: item ends outside block": what it
            // finds is damage, whatever the class says.
            throw Xapian::DatabaseCorruptError(e.get_msg(), e.get_context());
        }
        return MLS_OK;
    });
}

mls_status mls_db_add_doc(mls_db *db, const mls_doc *doc)
{
    return guarded(&db->message, [&] {
        if (!db->writable)
            return MLS_ERR_INVALID;
        db->writer.add_document(doc->doc);
        return MLS_OK;
    });
}

mls_status mls_db_delete_term(mls_db *db, const char *term, size_t len)
{
    return guarded(&db->message, [&] {
        if (!db->writable)
            return MLS_ERR_INVALID;
        db->writer.delete_document(std::string(term, len));
        return MLS_OK;
    });
}

mls_status mls_db_rename_term(mls_db *db, const char *from, size_t from_len, const char *to,
                              size_t to_len, mls_db_rewrite_fn rewrite, void *ctx)
{
    return guarded(&db->message, [&] {
        if (!db->writable)
            return MLS_ERR_INVALID;
        std::string old_term(from, from_len), new_term(to, to_len);
        // The ids first: replacing documents while walking a posting list
        // would change it under the walk.
        std::vector<Xapian::docid> ids(db->writer.postlist_begin(old_term),
                                       db->writer.postlist_end(old_term));
        for (Xapian::docid id : ids) {
            Xapian::Document doc = db->writer.get_document(id);
            std::string data = data_stored(doc.get_data());
            char *out = nullptr;
            size_t out_len = 0;
            mls_status st = rewrite(data.data(), data.size(), &out, &out_len, ctx);
            if (st)
                return st;
            doc.set_data(data_to_store(out, out_len));
            std::free(out);
            doc.remove_term(old_term);
            doc.add_boolean_term(new_term);
            db->writer.replace_document(id, doc);
        }
        return MLS_OK;
    });
}

mls_status mls_db_set_metadata(mls_db *db, const char *key, const char *value, size_t len)
{
    return guarded(&db->message, [&] {
        if (!db->writable)
            return MLS_ERR_INVALID;
        db->writer.set_metadata(key, std::string(value, len));
        return MLS_OK;
    });
}

mls_status mls_db_get_metadata(mls_db *db, const char *key, char **value, size_t *len)
{
    *value = nullptr;
    return guarded(&db->message, [&] {
        std::string v;
        reading(db, [&] {
            v = db->db().get_metadata(key);
            return MLS_OK;
        });
        return copy_out(v, value, len);
    });
}

mls_status mls_db_term_count(mls_db *db, const char *term, size_t len, size_t *count)
{
    *count = 0;
    return guarded(&db->message, [&] {
        return reading(db, [&] {
            *count = db->db().get_termfreq(std::string(term, len));
            return MLS_OK;
        });
    });
}

mls_status mls_db_doc_count(mls_db *db, size_t *count)
{
    *count = 0;
    return guarded(&db->message, [&] {
        return reading(db, [&] {
            *count = db->db().get_doccount();
            return MLS_OK;
        });
    });
}

mls_status mls_db_disk_size(mls_db *db, unsigned long long *bytes)
{
    *bytes = 0;
    return guarded(&db->message, [&] {
        std::error_code ec;
        std::string gen = db->dir + "/" + generation_name(current_generation(db->dir));
        for (const auto &entry : std::filesystem::directory_iterator(gen, ec))
            if (entry.is_regular_file(ec))
                *bytes += entry.file_size(ec);
        return MLS_OK;
    });
}

mls_status mls_db_foreach_data(mls_db *db, const char *term, size_t len, mls_db_data_fn each,
                               void *ctx)
{
    return guarded(&db->message, [&] {
        Xapian::Database &x = db->db();
        std::string t(term, len);
        for (auto p = x.postlist_begin(t); p != x.postlist_end(t); ++p) {
            std::string data = data_stored(x.get_document(*p).get_data());
            if (each(*p, data.data(), data.size(), ctx))
                break;
        }
        return MLS_OK;
    });
}

mls_status mls_db_positions(mls_db *db, unsigned docid, const char *term, size_t len,
                            unsigned **out, size_t *count)
{
    *out = nullptr;
    *count = 0;
    return guarded(&db->message, [&] {
        Xapian::Database &x = db->db();
        std::string t(term, len);
        std::vector<unsigned> found;
        for (auto p = x.positionlist_begin(docid, t); p != x.positionlist_end(docid, t); ++p)
            found.push_back(*p);
        return copy_out(found, out, count);
    });
}

mls_status mls_db_postings(mls_db *db, const char *term, size_t len, unsigned **out, size_t *count)
{
    *out = nullptr;
    *count = 0;
    return guarded(&db->message, [&] {
        Xapian::Database &x = db->db();
        std::string t(term, len);
        std::vector<unsigned> found;
        for (auto p = x.postlist_begin(t); p != x.postlist_end(t); ++p)
            found.push_back(*p);
        return copy_out(found, out, count);
    });
}

mls_status mls_db_doc_terms(mls_db *db, unsigned docid, const char *prefix, size_t len,
                            mls_db_term_fn each, void *ctx)
{
    return guarded(&db->message, [&] {
        Xapian::Database &x = db->db();
        std::string head(prefix, len);
        auto t = x.termlist_begin(docid);
        for (t.skip_to(head); t != x.termlist_end(docid); ++t) {
            const std::string &term = *t;
            if (term.compare(0, head.size(), head) != 0)
                break;
            if (each(term.data(), term.size(), ctx))
                break;
        }
        return MLS_OK;
    });
}

mls_status mls_db_doc_data(mls_db *db, unsigned docid, char **data, size_t *len)
{
    return mls_db_doc_data_at(db, docid, 0, data, len);
}

mls_status mls_db_doc_data_at(mls_db *db, unsigned docid, long offset, char **data, size_t *len)
{
    *data = nullptr;
    *len = 0;
    return guarded(&db->message, [&] {
        // Xapian numbers the documents of joined indexes round robin.
        long long id = (long long)docid + (long long)offset * (long long)db->parts;
        if (id < 1 || id > (long long)std::numeric_limits<Xapian::docid>::max())
            return MLS_ERR_DB_CORRUPT;
        return copy_out(data_stored(db->db().get_document(Xapian::docid(id)).get_data()), data,
                        len);
    });
}

mls_status mls_db_doc_value(mls_db *db, unsigned docid, unsigned slot, char *buf, size_t size)
{
    buf[0] = '\0';
    return guarded(&db->message, [&] {
        copy_value(db->db().get_document(docid).get_value(slot), buf, size);
        return MLS_OK;
    });
}

mls_status mls_db_doc_has_term(mls_db *db, unsigned docid, const char *term, size_t len, int *has)
{
    *has = 0;
    return guarded(&db->message, [&] {
        Xapian::Database &x = db->db();
        std::string t(term, len);
        auto p = x.postlist_begin(t);
        if (p != x.postlist_end(t)) {
            p.skip_to(docid);
            *has = p != x.postlist_end(t) && *p == docid;
        }
        return MLS_OK;
    });
}

mls_status mls_db_terms(mls_db *db, const char *prefix, size_t len, mls_db_term_fn each, void *ctx)
{
    return guarded(&db->message, [&] {
        Xapian::Database &x = db->db();
        std::string head(prefix, len);
        for (auto t = x.allterms_begin(head); t != x.allterms_end(head); ++t) {
            const std::string &term = *t;
            if (each(term.data(), term.size(), ctx))
                break;
        }
        return MLS_OK;
    });
}

mls_status mls_doc_new(mls_doc **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        *out = new mls_doc;
        return MLS_OK;
    });
}

void mls_doc_free(mls_doc *doc)
{
    delete doc;
}

mls_status mls_doc_add_posting(mls_doc *doc, const char *term, size_t len, unsigned pos)
{
    return guarded(nullptr, [&] {
        doc->doc.add_posting(std::string(term, len), pos, 0);
        return MLS_OK;
    });
}

mls_status mls_doc_set_value(mls_doc *doc, unsigned slot, const char *value, size_t len)
{
    return guarded(nullptr, [&] {
        doc->doc.add_value(slot, std::string(value, len));
        return MLS_OK;
    });
}

mls_status mls_doc_add_term(mls_doc *doc, const char *term, size_t len, unsigned wdf)
{
    return guarded(nullptr, [&] {
        doc->doc.add_term(std::string(term, len), wdf);
        return MLS_OK;
    });
}

mls_status mls_stemmer_new(mls_stemmer **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        *out = new mls_stemmer{Xapian::Stem("english"), std::string()};
        return MLS_OK;
    });
}

mls_status mls_stem(mls_stemmer *s, const char *word, size_t len, const char **stem,
                    size_t *stem_len)
{
    *stem = nullptr;
    *stem_len = 0;
    return guarded(nullptr, [&] {
        s->stem = s->stemmer(std::string(word, len));
        *stem = s->stem.c_str();
        *stem_len = s->stem.size();
        return MLS_OK;
    });
}

void mls_stemmer_free(mls_stemmer *s)
{
    delete s;
}

mls_status mls_doc_add_boolean(mls_doc *doc, const char *term, size_t len)
{
    return guarded(nullptr, [&] {
        doc->doc.add_boolean_term(std::string(term, len));
        return MLS_OK;
    });
}

mls_status mls_doc_set_data(mls_doc *doc, const char *data, size_t len)
{
    return guarded(nullptr, [&] {
        doc->doc.set_data(data_to_store(data, len));
        return MLS_OK;
    });
}

mls_status mls_xq_term(const char *term, size_t len, mls_xq **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        *out = new mls_xq{mls_xq::TERM, std::string(term, len), {}};
        return MLS_OK;
    });
}

mls_status mls_xq_prefix(const char *prefix, size_t len, mls_xq **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        *out = new mls_xq{mls_xq::PREFIX, std::string(prefix, len), {}};
        return MLS_OK;
    });
}

mls_status mls_xq_paths(const char *term_prefix, const char *pattern, mls_xq **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        *out = new mls_xq{mls_xq::PATHS, std::string(pattern), {}};
        (*out)->prefix = term_prefix;
        return MLS_OK;
    });
}

mls_status mls_xq_stem(const char *stem, size_t len, const char *z_term, size_t z_len, mls_xq **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        *out = new mls_xq{mls_xq::STEM, std::string(stem, len), {}};
        (*out)->prefix = std::string(z_term, z_len);
        return MLS_OK;
    });
}

mls_status mls_xq_combine(mls_xq_op op, mls_xq *const *subs, size_t n, mls_xq **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        mls_xq::Kind kind = mls_xq::AND;
        switch (op) {
        case MLS_XQ_AND: kind = mls_xq::AND; break;
        case MLS_XQ_OR: kind = mls_xq::OR; break;
        case MLS_XQ_PHRASE: kind = mls_xq::PHRASE; break;
        case MLS_XQ_AND_NOT: kind = mls_xq::AND_NOT; break;
        case MLS_XQ_FILTER: kind = mls_xq::FILTER; break;
        case MLS_XQ_AND_MAYBE: kind = mls_xq::AND_MAYBE; break;
        case MLS_XQ_NEAR: kind = mls_xq::NEAR; break;
        }
        std::vector<mls_xq> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(*subs[i]);
        *out = new mls_xq{kind, std::string(), std::move(v)};
        return MLS_OK;
    });
}

mls_status mls_xq_scale(const mls_xq *sub, double factor, mls_xq **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        *out = new mls_xq{mls_xq::SCALE, std::string(), {*sub}, factor};
        return MLS_OK;
    });
}

mls_status mls_xq_value_range(unsigned slot, const char *from, const char *to, mls_xq **out)
{
    *out = nullptr;
    return guarded(nullptr, [&] {
        auto q = std::make_unique<mls_xq>(mls_xq{mls_xq::VALUE_RANGE, from ? from : "", {}});
        q->prefix = to ? to : "";
        q->slot = slot;
        q->has_from = from != nullptr;
        q->has_to = to != nullptr;
        *out = q.release();
        return MLS_OK;
    });
}

void mls_xq_free(mls_xq *q)
{
    delete q;
}

}  // extern "C"

namespace {

const Xapian::termcount max_prefix_terms = MLS_PREFIX_MAX_TERMS;

Xapian::Query to_xapian(const mls_xq &q, const Xapian::Database &db, bool in_phrase)
{
    std::vector<Xapian::Query> subs;
    for (const mls_xq &sub : q.subs)
        subs.push_back(to_xapian(sub, db, q.kind == mls_xq::PHRASE));
    switch (q.kind) {
    case mls_xq::TERM: return Xapian::Query(q.text);
    case mls_xq::PREFIX:
        if (in_phrase) {
            std::vector<Xapian::Query> terms;
            for (auto t = db.allterms_begin(q.text); t != db.allterms_end(q.text); ++t) {
                if (terms.size() == max_prefix_terms)
                    throw Xapian::WildcardError("too many words start with " + q.text);
                terms.emplace_back(*t);
            }
            return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
        }
        // OP_SYNONYM (the default combiner) weighs the expansion as one
        // term, so a one-character query is not scored as dozens of terms.
        return Xapian::Query(Xapian::Query::OP_WILDCARD, q.text, max_prefix_terms,
                             Xapian::Query::WILDCARD_LIMIT_ERROR);
    case mls_xq::AND: return Xapian::Query(Xapian::Query::OP_AND, subs.begin(), subs.end());
    case mls_xq::OR: return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    case mls_xq::PHRASE:
        return Xapian::Query(Xapian::Query::OP_PHRASE, subs.begin(), subs.end(),
                             static_cast<Xapian::termcount>(subs.size()));
    case mls_xq::AND_NOT: return Xapian::Query(Xapian::Query::OP_AND_NOT, subs.begin(), subs.end());
    case mls_xq::FILTER: return Xapian::Query(Xapian::Query::OP_FILTER, subs.begin(), subs.end());
    case mls_xq::AND_MAYBE:
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, subs.begin(), subs.end());
    case mls_xq::NEAR:
        // Within a window of twice as many positions as terms: near, in
        // any order.
        return Xapian::Query(Xapian::Query::OP_NEAR, subs.begin(), subs.end(),
                             static_cast<Xapian::termcount>(2 * subs.size()));
    case mls_xq::PATHS: {
        // The path terms under the pattern's literal head, kept if the
        // path matches it.  (A path too long for a term is stored hashed,
        // and only a pattern naming its head can reach it.)
        std::string head = q.prefix + q.text.substr(0, q.text.find_first_of("*?[\\"));
        std::vector<Xapian::Query> terms;
        for (auto t = db.allterms_begin(head); t != db.allterms_end(head); ++t)
            if (fnmatch(q.text.c_str(), (*t).c_str() + q.prefix.size(), 0) == 0)
                terms.emplace_back(*t);
        return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    }
    case mls_xq::SCALE: return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, subs.at(0), q.factor);
    case mls_xq::VALUE_RANGE:
        if (q.has_from && q.has_to)
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, q.slot, q.text, q.prefix);
        if (q.has_from)
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, q.slot, q.text);
        if (q.has_to)
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, q.slot, q.prefix);
        return Xapian::Query(std::string());  // every document

    case mls_xq::STEM: {
        // The words whose stem it is: those that start with it, found in
        // the vocabulary, and the others (happy: happi), by their Z term.
        Xapian::Stem stemmer("english");
        std::vector<Xapian::Query> terms{Xapian::Query(q.prefix)};
        for (auto t = db.allterms_begin(q.text); t != db.allterms_end(q.text); ++t)
            if (stemmer(*t) == q.text)
                terms.emplace_back(*t);
        return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
    }
    }
    return Xapian::Query();
}

}  // namespace

extern "C" {

mls_status mls_db_search(mls_db *db, const mls_xq *q, size_t first, size_t max, int sort_slot,
                         mls_mset **out)
{
    *out = nullptr;
    return guarded(&db->message, [&] {
        return reading(db, [&] {
            Xapian::Enquire enquire(db->db());
            enquire.set_query(to_xapian(*q, db->db(), false));
            // Each term's wdf is what it weighs in the note's best passage
            // for it (weight.h): BM25 with a k1 so large that it hardly
            // saturates is that wdf times idf, which ranks the notes by
            // their best passages.  (TfIdfWeight would be it exactly, but
            // its idf of a term no note holds is infinite, and then nothing
            // matches.)  A b of a thousandth puts first, of notes whose
            // best passages weigh the same, the one whose terms weigh less
            // in all, as one index and notebooks alike rank them; b 0 left
            // a search reading every man page of one weight for "synopsis".
            enquire.set_weighting_scheme(Xapian::BM25Weight(1000, 0, 1, 0.001, 0.5));
            if (sort_slot >= 0)
                enquire.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(sort_slot),
                                                         true);
            auto m = std::make_unique<mls_mset>();
            m->db = db;
            m->mset = enquire.get_mset(as_doccount(first), as_doccount(max));
            *out = m.release();
            return MLS_OK;
        });
    });
}

size_t mls_mset_size(const mls_mset *m)
{
    return m->mset.size();
}

size_t mls_mset_matches_estimated(const mls_mset *m)
{
    return m->mset.get_matches_estimated();
}

double mls_mset_weight(const mls_mset *m, size_t i)
{
    return m->mset[static_cast<Xapian::doccount>(i)].get_weight();
}

size_t mls_mset_part(const mls_mset *m, size_t i)
{
    // Xapian numbers the documents of joined indexes in turn: document d
    // of part k (of n) is (d - 1) * n + k + 1.
    Xapian::docid id = *m->mset[static_cast<Xapian::doccount>(i)];
    return (id - 1) % m->db->parts;
}

unsigned mls_mset_docid(const mls_mset *m, size_t i)
{
    return *m->mset[static_cast<Xapian::doccount>(i)];
}

mls_status mls_mset_value(mls_mset *m, size_t i, unsigned slot, char *buf, size_t size)
{
    buf[0] = '\0';
    return guarded(&m->db->message, [&] {
        copy_value(m->mset[static_cast<Xapian::doccount>(i)].get_document().get_value(slot), buf,
                   size);
        return MLS_OK;
    });
}

mls_status mls_mset_data(mls_mset *m, size_t i, const char **data, size_t *len)
{
    *data = nullptr;
    *len = 0;
    return guarded(&m->db->message, [&] {
        m->data = data_stored(m->mset[static_cast<Xapian::doccount>(i)].get_document().get_data());
        *data = m->data.data();
        *len = m->data.size();
        return MLS_OK;
    });
}

void mls_mset_free(mls_mset *m)
{
    delete m;
}

}  // extern "C"
