#pragma once
// The append-only audit chain: each entry's hash is SHA-256 over the
// previous entry's hash and the entry's own fields, so editing or deleting
// an entry breaks every later link (a hash chain, Haber & Stornetta 1991,
// "How to time-stamp a digital document", J. Cryptology 3(2)).

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"

namespace endstate::benchmarks {

/// The hash of the (absent) entry before the first one.
inline const std::string kGenesisHash(64, '0');

/// SHA-256 hex of prev_hash, seq, at, kind, subject and payload (newline separated).
std::string audit_hash(const AuditEntry& e);

/// Fills seq, prev_hash and hash of `e` to follow `previous` (nullptr = first entry).
void chain(AuditEntry& e, const AuditEntry* previous);

struct AuditProblem {
  std::int64_t seq = 0;
  std::string reason;
};

/// Checks the chain (entries in seq order): each hash recomputes, each
/// prev_hash is the previous hash, seq runs 1..n without gaps, and every seq
/// in `referenced` (audit entries other records point to) exists. Empty = intact.
std::vector<AuditProblem> verify_chain(const std::vector<AuditEntry>& entries,
                                       const std::set<std::int64_t>& referenced = {});

}  // namespace endstate::benchmarks
