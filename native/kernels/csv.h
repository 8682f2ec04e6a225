// Numeric CSV lines into a typed array, as fast as the file can be read: the
// numbers are converted by std::from_chars (correctly rounded, the same
// double as JavaScript's Number() gives). The parser only takes the plain
// case, unquoted finite numbers in every cell; at any other line it stops and
// says where, and the TypeScript loader handles that line itself (quoted
// fields, underflow to zero) or reports it with the file, line and column.
#pragma once

#include <cstddef>
#include <cstdint>

namespace deepnet {

// What the label column may hold: 0/1, class indices 0, 1, 2, ..., any number.
enum class CsvLabels { Binary, Classes, Values };

struct CsvLayout {
  char delimiter;
  long width;        // cells per line
  long label;        // the label column, or -1 for none
  CsvLabels labels;
  bool rows;         // X is (m, features) row-major; else (features, m)
  long m;            // data rows the arrays hold
};

struct CsvProgress {
  size_t pos;        // offset of the first line not consumed
  long row;          // data rows written so far (the next row's index)
  long lines;        // lines consumed in this call, blank ones included
  bool stopped;      // pos is a line this parser does not take (else: all complete lines done)
};

// A line holding only spaces, tabs and a carriage return, which loaders skip.
bool csv_blank_line(const char* begin, const char* end);

// Parses the complete lines (each ending in '\n'; with `final`, the last may
// end at `end` instead) of [begin + pos, end), writing data row `row` onward
// into X (and Y when the layout has a label), until a line it does not take.
template <typename T>
CsvProgress parse_csv_lines(const char* begin, const char* end, size_t pos, bool final,
                            const CsvLayout& layout, long row, T* X, T* Y);

}  // namespace deepnet
