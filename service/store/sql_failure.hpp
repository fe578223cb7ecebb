#pragma once
// The one place that reads what PostgreSQL's errors mean. Everything else in
// store/ asks `classify` instead of comparing SQLSTATEs or searching message
// text, so a new meaning (or a renamed constraint) is one edit here.

#include <pqxx/except.hxx>

#include <string>

namespace leadgate::store {

enum class SqlFailureKind {
  in_doubt,     // a commit (or statement) whose outcome cannot be known: never run again blindly
  unreachable,  // the server is going away or not accepting us: 503, retry on a fresh connection
  retryable,    // a serialization failure or deadlock (40001, 40P01): run the same work again
  unique,       // a unique constraint refused a row (23505)
  exclusion,    // an exclusion constraint refused a row (23P01): an overlapping booking
  other,        // the statement itself is wrong: a bug, logged, 500
};

struct SqlFailure {
  SqlFailureKind kind;
  std::string constraint;  // for unique and exclusion: the constraint's name, if PostgreSQL gave one
  std::string sqlstate;    // for the log; empty where libpqxx gives none
};

// Every exception libpqxx throws derives from pqxx::failure. (In libpqxx 6.4
// a serialization failure or deadlock is not an sql_error and carries no
// SQLSTATE: its type says it.)
SqlFailure classify(const pqxx::failure& error);

// Whether an error's SQLSTATE means "the server is going away or not
// accepting us" (retry elsewhere, answer 503) rather than "this statement is
// wrong": connection exceptions (08), operator intervention (57P0x, e.g. a
// shutdown or a crash), too many connections (53300), and none at all, which
// only libpq's own connection failures lack (every server error has one).
bool means_unreachable(const std::string& sqlstate);

}  // namespace leadgate::store
