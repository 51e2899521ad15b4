#pragma once
// UTF-8 validation and repair of double-encoded text ("mojibake"), as found in
// Geo-PKO admin names: UTF-8 bytes read as Latin-1/CP1252 and encoded again.

#include <string>
#include <string_view>

namespace endstate {

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view s);

/// Byte offset of the first invalid sequence, or npos.
std::size_t first_invalid_utf8(std::string_view s);

/// `s` made safe to show in a message: each byte of an invalid UTF-8 sequence
/// becomes U+FFFD and a NUL byte becomes "\0" (file text quoted in an error
/// must not break the JSON or the terminal it is written to).
std::string printable_utf8(std::string_view s);

/// Undoes one level of double encoding: "Ã‰quateur" -> "Équateur".
/// Text that is not double-encoded is returned unchanged.
std::string repair_double_utf8(std::string_view s);

}  // namespace endstate
