#include "csv.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace deepnet {

namespace {

inline bool space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// One cell: optional spaces, a sign, digits with an optional point and
// exponent (what the loader's regular expression accepts), optional spaces.
// Returns the end of the cell, or nullptr when it is not such a finite number.
inline const char* parse_cell(const char* p, const char* end, double& value) {
  while (p < end && space(*p)) ++p;
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  // Refuses "inf", "nan", a second sign and an empty cell, which from_chars would treat otherwise.
  if (p == end || !((*p >= '0' && *p <= '9') || *p == '.')) return nullptr;
  auto r = std::from_chars(p, end, value, std::chars_format::general);
  if (r.ec != std::errc() || !std::isfinite(value)) return nullptr;  // out of range: overflow or underflow
  if (negative) value = -value;
  p = r.ptr;
  while (p < end && space(*p)) ++p;
  return p;
}

inline bool label_ok(double v, CsvLabels labels) {
  switch (labels) {
    case CsvLabels::Binary: return v == 0 || v == 1;
    case CsvLabels::Classes: return v >= 0 && v <= 2147483647.0 && std::floor(v) == v;
    case CsvLabels::Values: return true;
  }
  return false;
}

}  // namespace

bool csv_blank_line(const char* begin, const char* end) {
  for (const char* p = begin; p < end; ++p)
    if (!space(*p)) return false;
  return true;
}

template <typename T>
CsvProgress parse_csv_lines(const char* begin, const char* end, size_t pos, bool final,
                            const CsvLayout& layout, long row, T* X, T* Y) {
  const long features = layout.width - (layout.label >= 0 ? 1 : 0);
  CsvProgress out{pos, row, 0, false};
  while (out.pos < static_cast<size_t>(end - begin)) {
    const char* line = begin + out.pos;
    const char* eol = static_cast<const char*>(std::memchr(line, '\n', end - line));
    if (eol == nullptr && !final) break;  // an incomplete line: the caller reads on
    const char* stop = eol ? eol : end;
    const size_t next = static_cast<size_t>(stop - begin) + (eol ? 1 : 0);
    if (csv_blank_line(line, stop)) {
      out.pos = next;
      ++out.lines;
      continue;
    }
    if (out.row >= layout.m || std::memchr(line, '"', stop - line) != nullptr) {
      out.stopped = true;
      return out;
    }
    const char* p = line;
    long f = 0;
    for (long j = 0; j < layout.width; ++j) {
      double v;
      p = parse_cell(p, stop, v);
      const bool last = j == layout.width - 1;
      if (p == nullptr || (last ? p != stop : (p == stop || *p != layout.delimiter))) {
        out.stopped = true;
        return out;
      }
      ++p;
      if (j == layout.label) {
        if (!label_ok(v, layout.labels)) {
          out.stopped = true;
          return out;
        }
        Y[out.row] = static_cast<T>(v);
      } else {
        X[layout.rows ? out.row * features + f : f * layout.m + out.row] = static_cast<T>(v);
        ++f;
      }
    }
    ++out.row;
    out.pos = next;
    ++out.lines;
  }
  return out;
}

template CsvProgress parse_csv_lines<float>(const char*, const char*, size_t, bool, const CsvLayout&, long, float*, float*);
template CsvProgress parse_csv_lines<double>(const char*, const char*, size_t, bool, const CsvLayout&, long, double*, double*);

}  // namespace deepnet
