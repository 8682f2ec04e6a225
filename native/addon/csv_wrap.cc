// parseCsv: the numeric lines of one chunk of a CSV file into X and Y (see
// kernels/csv.h). lib/datasets/csv.ts reads the file, counts the rows,
// allocates the arrays and handles every line this parser stops at.
#include <cmath>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "csv.h"

namespace deepnet {
namespace addon {

namespace {

CsvLabels labels_value(const Napi::Value& v) {
  const std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (s == "binary") return CsvLabels::Binary;
  if (s == "classes") return CsvLabels::Classes;
  if (s == "values") return CsvLabels::Values;
  throw_range(v.Env(), "labels must be 'binary', 'classes' or 'values'");
}

// parseCsv(chunk, pos, end, final, delimiter, width, label, labels, rows, m, row, X, Y)
//   -> { pos, row, lines, stopped }
Napi::Value ParseCsv(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      throw_type(env, "chunk must be a Uint8Array");
    auto chunk = info[0].As<Napi::Uint8Array>();
    const double length = static_cast<double>(chunk.ElementLength());
    long end = integer_in(info[2], "end", 0, length);
    long pos = integer_in(info[1], "pos", 0, static_cast<double>(end));
    if (!info[3].IsBoolean()) throw_type(env, "final must be a boolean");
    long delimiter = integer_in(info[4], "delimiter", 0, 255);
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
      throw_range(env, "delimiter must not be a quote or a line break");
    long width = integer_in(info[5], "width", 1, 1e9);
    long label = integer_in(info[6], "label", -1, static_cast<double>(width - 1));
    CsvLabels labels = labels_value(info[7]);
    if (!info[8].IsBoolean()) throw_type(env, "rows must be a boolean");
    long m = integer_in(info[9], "m", 0, 2147483647.0);
    long row = integer_in(info[10], "row", 0, static_cast<double>(m));
    const long features = width - (label >= 0 ? 1 : 0);
    Array X = typed_array(info[11], "X");
    typed_array(info[11], "X", X.dtype, static_cast<size_t>(features) * static_cast<size_t>(m));
    Array Y{X.dtype, nullptr, 0};
    if (label >= 0) Y = typed_array(info[12], "Y", X.dtype, static_cast<size_t>(m));
    else if (!info[12].IsNull() && !info[12].IsUndefined()) throw_type(env, "Y must be null without a label column");

    CsvLayout layout{static_cast<char>(delimiter), width, label, labels, info[8].As<Napi::Boolean>().Value(), m};
    const char* begin = reinterpret_cast<const char*>(chunk.Data());
    CsvProgress p = with_dtype(X.dtype, [&](auto t) {
      using T = decltype(t);
      return parse_csv_lines<T>(begin, begin + end, static_cast<size_t>(pos), info[3].As<Napi::Boolean>().Value(),
                                layout, row, X.as<T>(), Y.as<T>());
    });
    Napi::Object out = Napi::Object::New(env);
    out.Set("pos", static_cast<double>(p.pos));
    out.Set("row", static_cast<double>(p.row));
    out.Set("lines", static_cast<double>(p.lines));
    out.Set("stopped", p.stopped);
    return out;
  });
}

}  // namespace

void register_csv(Napi::Env env, Napi::Object exports) {
  exports.Set("parseCsv", Napi::Function::New(env, ParseCsv, "parseCsv"));
}

}  // namespace addon
}  // namespace deepnet
