#pragma once
// Checks on a YAML file's text before its meaning is read (framework and
// threat weights files): the structure problems YAML parsers accept silently.

#include <string>
#include <string_view>

namespace endstate {

/// Most values (scalars, list items, mapping entries) a checked document may
/// hold, counting each use of an alias again: bounds "billion laughs" documents.
inline constexpr long kMaxYamlValues = 1'000'000;
/// Deepest nesting of lists and mappings a checked document may have.
inline constexpr int kMaxYamlDepth = 64;

/// Throws Error(kBadInput) naming `file`, the line and, where there is one, the
/// key path ("framework.indicators[2].id") when the text is not UTF-8 or holds
/// a NUL byte; is not valid YAML; holds more than one document ("---");
/// gives a key twice in one mapping; has a key that is not plain text (a list
/// or mapping as key); a value holding a NUL; nests deeper than kMaxYamlDepth
/// or expands past kMaxYamlValues values. An empty text passes.
void check_yaml_document(std::string_view text, const std::string& file);

}  // namespace endstate
