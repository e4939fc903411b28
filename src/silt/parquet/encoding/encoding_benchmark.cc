// Throughput of the decoding hot loops: bit unpacking, RLE/bit-packed runs, dictionary gathers,
// DELTA_BINARY_PACKED, PLAIN byte arrays, BYTE_STREAM_SPLIT.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "silt/parquet/encoding/bit_unpack.h"
#include "silt/parquet/encoding/byte_stream_split.h"
#include "silt/parquet/encoding/delta_binary_packed.h"
#include "silt/parquet/encoding/delta_length_byte_array.h"
#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/encoding/plain.h"
#include "silt/parquet/encoding/rle.h"

namespace silt::parquet {
namespace {

constexpr int64_t kValues = 1 << 16;

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

void BM_UnpackBits32(benchmark::State& state) {
  const int width = static_cast<int>(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<uint64_t> values(kValues);
  for (auto& v : values) v = rng() & ((uint64_t{1} << width) - 1);
  std::string packed;
  PackBits(values.data(), kValues, width, &packed);
  std::vector<uint32_t> out(kValues);
  for (auto _ : state) {
    UnpackBits32(U8(packed), static_cast<int64_t>(packed.size()), width, out.data(), kValues);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_UnpackBits32)->Arg(1)->Arg(3)->Arg(8)->Arg(12)->Arg(17)->Arg(32);

void BM_DictionaryInt64(benchmark::State& state) {
  const int64_t dict_size = state.range(0);
  std::vector<int64_t> dict(static_cast<size_t>(dict_size));
  for (int64_t i = 0; i < dict_size; ++i) dict[i] = i * 7;
  std::string page;
  PlainEncodeInt64(dict.data(), dict_size, &page);
  auto decoder = MakeDictionaryDecoder(PhysicalType::kInt64, 0, U8(page),
                                       static_cast<int64_t>(page.size()), dict_size)
                     .ValueOrDie();
  std::mt19937 rng(2);
  std::vector<uint32_t> indices(kValues);
  for (auto& i : indices) i = static_cast<uint32_t>(rng() % dict_size);
  std::string data;
  EncodeDictionaryIndices(indices.data(), kValues, dict_size, &data);
  std::vector<int64_t> out(kValues);
  for (auto _ : state) {
    (void)decoder->SetData(U8(data), static_cast<int64_t>(data.size()), kValues);
    (void)decoder->DecodeInt64(out.data(), kValues);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_DictionaryInt64)->Arg(100)->Arg(10000);

void BM_RleLevels(benchmark::State& state) {
  std::vector<int16_t> levels(kValues);
  std::mt19937 rng(3);
  for (auto& l : levels) l = rng() % 10 == 0 ? 0 : 1;  // 10% nulls
  std::string data;
  AppendRleBitPackedRuns(levels.data(), kValues, 1, &data);
  std::vector<int16_t> out(kValues);
  for (auto _ : state) {
    RleBitPackedDecoder d;
    (void)d.Init(U8(data), static_cast<int64_t>(data.size()), 1);
    (void)d.GetBatch(out.data(), kValues);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_RleLevels);

void BM_DeltaBinaryPacked(benchmark::State& state) {
  std::vector<int64_t> values(kValues);
  std::mt19937 rng(4);
  int64_t v = 1000000;
  for (auto& x : values) x = v += rng() % 1000;
  std::string data;
  DeltaBinaryPackedEncode(values.data(), kValues, &data);
  std::vector<int64_t> out(kValues);
  for (auto _ : state) {
    DeltaBinaryPackedDecoder d;
    (void)d.SetData(U8(data), static_cast<int64_t>(data.size()), kValues);
    (void)d.DecodeInt64(out.data(), kValues);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_DeltaBinaryPacked);

void BM_PlainByteArrays(benchmark::State& state) {
  std::vector<std::string> strings(kValues);
  for (int64_t i = 0; i < kValues; ++i) strings[i] = "value-" + std::to_string(i * 31);
  std::vector<std::string_view> views(strings.begin(), strings.end());
  std::string data;
  PlainEncodeByteArrays(views.data(), kValues, &data);
  for (auto _ : state) {
    PlainDecoder d(PhysicalType::kByteArray, 0);
    (void)d.SetData(U8(data), static_cast<int64_t>(data.size()), kValues);
    ByteArrayBuffer out;
    (void)d.DecodeByteArrays(kValues, &out);
    benchmark::DoNotOptimize(out.data.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_PlainByteArrays);

void BM_DictionaryStrings(benchmark::State& state) {
  std::vector<std::string> dict_values(1000);
  for (int i = 0; i < 1000; ++i) dict_values[i] = "category-" + std::to_string(i * 7919);
  std::vector<std::string_view> views(dict_values.begin(), dict_values.end());
  std::string page;
  PlainEncodeByteArrays(views.data(), 1000, &page);
  auto decoder = MakeDictionaryDecoder(PhysicalType::kByteArray, 0, U8(page),
                                       static_cast<int64_t>(page.size()), 1000)
                     .ValueOrDie();
  std::mt19937 rng(5);
  std::vector<uint32_t> indices(kValues);
  for (auto& i : indices) i = static_cast<uint32_t>(rng() % 1000);
  std::string data;
  EncodeDictionaryIndices(indices.data(), kValues, 1000, &data);
  for (auto _ : state) {
    (void)decoder->SetData(U8(data), static_cast<int64_t>(data.size()), kValues);
    ByteArrayBuffer out;
    (void)decoder->DecodeByteArrays(kValues, &out);
    benchmark::DoNotOptimize(out.data.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_DictionaryStrings);

void BM_DeltaLengthByteArray(benchmark::State& state) {
  std::vector<std::string> strings(kValues);
  for (int64_t i = 0; i < kValues; ++i) strings[i] = "value-" + std::to_string(i * 31);
  std::vector<std::string_view> views(strings.begin(), strings.end());
  std::string data;
  DeltaLengthByteArrayEncode(views.data(), kValues, &data);
  for (auto _ : state) {
    DeltaLengthByteArrayDecoder d;
    (void)d.SetData(U8(data), static_cast<int64_t>(data.size()), kValues);
    ByteArrayBuffer out;
    (void)d.DecodeByteArrays(kValues, &out);
    benchmark::DoNotOptimize(out.data.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_DeltaLengthByteArray);

void BM_ByteStreamSplitDouble(benchmark::State& state) {
  std::vector<double> values(kValues);
  for (int64_t i = 0; i < kValues; ++i) values[i] = i * 0.25;
  std::string data;
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(values.data()), kValues, 8, &data);
  std::vector<double> out(kValues);
  for (auto _ : state) {
    ByteStreamSplitDecoder d(PhysicalType::kDouble, 8);
    (void)d.SetData(U8(data), static_cast<int64_t>(data.size()), kValues);
    (void)d.DecodeDouble(out.data(), kValues);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kValues);
}
BENCHMARK(BM_ByteStreamSplitDouble);

}  // namespace
}  // namespace silt::parquet

BENCHMARK_MAIN();
