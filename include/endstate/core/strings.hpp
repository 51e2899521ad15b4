#pragma once
// Small string helpers shared by every parser: trimming, case, strict numbers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace endstate {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

/// Strict decimal parse of the whole (trimmed) text; nullopt on anything else.
/// "NaN", "inf" and empty text give nullopt.
std::optional<double> parse_double(std::string_view s);
std::optional<std::int64_t> parse_int64(std::string_view s);

/// True for the spellings data sets use for a missing value: "", "NA", "N/A", "NULL", "nan", ".".
bool is_missing(std::string_view s);

}  // namespace endstate
