#pragma once
// PDF from HTML with headless Chromium (Debian's `chromium` package):
// `chromium --headless --print-to-pdf`, offline (a file:// page with no
// external resources; background networking disabled), a throw-away profile
// folder, no header or footer; page size and margins come from the page's
// CSS @page rule. The PDF embeds a creation date, so unlike the HTML it is
// not byte-identical between runs.

#include <string>

namespace endstate::report {

/// The browser: $ENDSTATE_CHROMIUM when set, else the first of chromium,
/// chromium-browser, google-chrome on PATH; "" when none is found.
std::string find_chromium();

/// Prints `html_file` to `pdf_file`: into a temporary file beside it, renamed
/// into place once complete (a failed print leaves no partial PDF), without
/// the browser's creation and modification dates (blanked in place, so the
/// same HTML gives the same bytes). Error(kEnvironment) when no browser is
/// found, it fails or it runs longer than `timeout_seconds`.
void print_pdf(const std::string& html_file, const std::string& pdf_file, int timeout_seconds = 180);

/// Blanks every `/CreationDate (...)` and `/ModDate (...)` entry of a PDF's
/// bytes with spaces of the same length (offsets, hence the cross-reference
/// table, stay valid); returns how many it blanked.
int blank_pdf_dates(std::string& pdf);

}  // namespace endstate::report
