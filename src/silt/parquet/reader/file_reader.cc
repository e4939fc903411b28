#include "silt/parquet/reader/file_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "silt/columnar/decimal.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/reader/column_reader.h"

namespace silt::parquet {

using columnar::ArrayPtr;
using columnar::Field;
using reader::Conversion;

constexpr int kMaxThreads = 256;

std::vector<ColumnSelection> ReadOptions::Names(const std::vector<std::string>& names) {
  std::vector<ColumnSelection> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(ColumnSelection{n, std::nullopt, nullptr, {}});
  return out;
}

namespace {

// Worker threads that share out the tasks of one call to Run() with the calling thread. Idle
// workers sleep on a condition variable; the destructor joins them.
class WorkerPool {
 public:
  // Starts up to `workers` threads (fewer when the system refuses one: the caller then does more
  // of the work itself).
  explicit WorkerPool(int workers) {
    threads_.reserve(static_cast<size_t>(workers));
    for (int i = 0; i < workers; ++i) {
      try {
        threads_.emplace_back([this] { Loop(); });
      } catch (const std::system_error&) {
        break;
      }
    }
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Calls task(i) once for every i in `order`, on the calling thread and the workers: each takes
  // the next entry of `order` when it is free (longest first when `order` is by decreasing cost).
  // Returns when every call has returned; what the tasks wrote is then visible to the caller.
  void Run(const std::vector<size_t>& order, const std::function<void(size_t)>& task) {
    if (threads_.empty() || order.size() <= 1) {
      for (size_t i : order) task(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      task_ = &task;
      order_ = &order;
      next_.store(0, std::memory_order_relaxed);
      ++generation_;
    }
    wake_.notify_all();
    Work(order, task);
    std::unique_lock<std::mutex> lock(mu_);
    // A worker that joined this run is still counted in busy_; one that wakes up later finds no
    // task and sleeps again.
    done_.wait(lock, [this] { return busy_ == 0; });
    task_ = nullptr;
    order_ = nullptr;
  }

 private:
  void Work(const std::vector<size_t>& order, const std::function<void(size_t)>& task) {
    for (size_t k = next_.fetch_add(1, std::memory_order_relaxed); k < order.size();
         k = next_.fetch_add(1, std::memory_order_relaxed)) {
      task(order[k]);
    }
  }

  void Loop() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [&] { return stop_ || (task_ != nullptr && generation_ != seen); });
      if (stop_) return;
      seen = generation_;
      const std::function<void(size_t)>* task = task_;
      const std::vector<size_t>* order = order_;
      ++busy_;
      lock.unlock();
      Work(*order, *task);
      lock.lock();
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;  // a new run, or stop
  std::condition_variable done_;  // busy_ dropped to 0
  const std::function<void(size_t)>* task_ = nullptr;
  const std::vector<size_t>* order_ = nullptr;
  uint64_t generation_ = 0;
  int busy_ = 0;
  bool stop_ = false;
  std::atomic<size_t> next_{0};
  std::vector<std::thread> threads_;
};

// The positions 0..n-1 by decreasing cost (ties in position order).
std::vector<size_t> ByDecreasingCost(const std::vector<int64_t>& cost) {
  std::vector<size_t> order(cost.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return cost[a] > cost[b]; });
  return order;
}

}  // namespace

struct FileReader::Impl {
  std::unique_ptr<fs::RandomAccessFile> file;
  ReadOptions options;
  struct Output {
    int field = -1;  // index into the mapped top-level fields; -1: absent, all null
    Field field_out{"", columnar::Boolean()};
    // Set when only some fields below the column are read: the pruned tree.
    std::shared_ptr<const reader::ReaderNode> pruned;
    std::vector<int> leaves;  // the leaves it reads
    // A later output reads some of the same leaves (the column selected twice, or overlapping
    // fields of one struct): assembled from copies, as AssembleColumn takes the leaves' buffers.
    bool copy_leaves = false;
  };
  std::vector<Output> outputs;
  std::vector<int> leaves;                                        // projected leaf indices
  std::vector<std::unique_ptr<reader::LeafReader>> leaf_readers;  // by leaf index
  std::vector<reader::LeafBatch> batches;                         // by leaf index
  size_t next_rg = 0;
  bool rg_open = false;
  int64_t rows_left = 0;
  // Set by the first failed Next(), returned by every later one.
  Status error;

  // With options.threads > 1. Outputs that read a common leaf (the same column selected twice)
  // are assembled by one task, in output order, as AssembleColumn moves leaf buffers.
  std::vector<std::vector<size_t>> output_groups;
  std::vector<std::vector<int>> group_leaves;  // the leaves each group reads
  std::vector<size_t> leaf_order;              // positions in `leaves`, largest chunk first
  std::vector<size_t> group_order;             // positions in `output_groups`, likewise
  // Last, so that the workers are joined before anything they might touch is destroyed.
  std::unique_ptr<WorkerPool> pool;
};

FileReader::~FileReader() = default;

namespace {

std::optional<int32_t> FieldIdOf(const Field& f) {
  auto v = f.metadata().Get(reader::kFieldIdKey);
  if (!v) return std::nullopt;
  int32_t id = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
  if (ec != std::errc() || ptr != v->data() + v->size()) return std::nullopt;
  return id;
}

template <typename T>
bool LoadLE(const std::string& bytes, T* out) {
  if (bytes.size() != sizeof(T)) return false;
  std::memcpy(out, bytes.data(), sizeof(T));
  return true;
}

std::optional<__int128> BigEndian(const std::string& bytes) {
  if (bytes.empty()) return __int128{0};
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t len = bytes.size();
  if (len > 16) {
    const uint8_t fill = (p[len - 16] & 0x80) ? 0xff : 0;
    for (size_t i = 0; i < len - 16; ++i) {
      if (p[i] != fill) return std::nullopt;
    }
    p += len - 16;
    len = 16;
  }
  unsigned __int128 v = (p[0] & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
  for (size_t i = 0; i < len; ++i) v = (v << 8) | p[i];
  return static_cast<__int128>(v);
}

// A PLAIN-encoded statistics value as a columnar value of the leaf's type.
std::optional<expr::Value> StatValue(const std::string& bytes, PhysicalType physical,
                                     Conversion conv, const columnar::DataType& type) {
  using columnar::TypeId;
  using expr::Value;
  const int32_t scale = type.id() == TypeId::kDecimal ? columnar::AsDecimal(type).scale() : 0;
  switch (physical) {
    case PhysicalType::kBoolean:
      if (bytes.size() != 1) return std::nullopt;
      return Value::Boolean(bytes[0] != 0);
    case PhysicalType::kInt32: {
      int32_t v;
      if (!LoadLE(bytes, &v)) return std::nullopt;
      switch (conv) {
        case Conversion::kNone:
          return type.id() == TypeId::kDate ? Value::Date(v) : Value::Int(v);
        case Conversion::kInt32ToInt8:
        case Conversion::kInt32ToInt16:
          return Value::Int(v);
        case Conversion::kUint8ToInt16:
          return Value::Int(v & 0xff);
        case Conversion::kUint16ToInt32:
          return Value::Int(v & 0xffff);
        case Conversion::kUint32ToInt64:
          return Value::Int(static_cast<uint32_t>(v));
        case Conversion::kInt32MillisToMicros:
          return Value::Int(int64_t{v} * 1000);
        case Conversion::kInt32ToDecimal:
          return Value::MakeDecimal(v, scale);
        default:
          return std::nullopt;
      }
    }
    case PhysicalType::kInt64: {
      int64_t v;
      if (!LoadLE(bytes, &v)) return std::nullopt;
      auto as_type = [&](int64_t micros) {
        if (type.id() == TypeId::kTimestamp) return Value::Timestamp(micros);
        if (type.id() == TypeId::kTimestampNtz) return Value::TimestampNtz(micros);
        return Value::Int(micros);
      };
      switch (conv) {
        case Conversion::kNone:
          return as_type(v);
        case Conversion::kInt64MillisToMicros: {
          int64_t m;
          if (__builtin_mul_overflow(v, int64_t{1000}, &m)) return std::nullopt;
          return as_type(m);
        }
        case Conversion::kInt64NanosToMicros: {
          int64_t q = v / 1000;
          if (v % 1000 < 0) --q;
          return as_type(q);
        }
        case Conversion::kInt64ToDecimal:
          return Value::MakeDecimal(v, scale);
        case Conversion::kUint64ToDecimal:
          return Value::MakeDecimal(static_cast<__int128>(static_cast<uint64_t>(v)), 0);
        default:
          return std::nullopt;
      }
    }
    case PhysicalType::kFloat: {
      float v;
      if (conv != Conversion::kNone || !LoadLE(bytes, &v) || std::isnan(v)) return std::nullopt;
      return Value::Double(v);
    }
    case PhysicalType::kDouble: {
      double v;
      if (conv != Conversion::kNone || !LoadLE(bytes, &v) || std::isnan(v)) return std::nullopt;
      return Value::Double(v);
    }
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      if (conv == Conversion::kBytesToDecimal) {
        auto v = BigEndian(bytes);
        if (!v) return std::nullopt;
        return Value::MakeDecimal(*v, scale);
      }
      if (conv == Conversion::kFloat16ToFloat32) return std::nullopt;
      if (type.id() == TypeId::kString) return Value::String(bytes);
      return Value::Binary(bytes);
    case PhysicalType::kInt96:
      return std::nullopt;
  }
  return std::nullopt;
}

bool SignedOrder(Conversion conv) {
  switch (conv) {
    case Conversion::kUint8ToInt16:
    case Conversion::kUint16ToInt32:
    case Conversion::kUint32ToInt64:
    case Conversion::kUint64ToDecimal:
    case Conversion::kInt96ToMicros:
    case Conversion::kBytesToDecimal:
    case Conversion::kByteArray:
    case Conversion::kFixedToBinary:
    case Conversion::kFloat16ToFloat32:
      return false;
    default:
      return true;
  }
}

void MarkLeaves(const reader::ReaderNode& node, std::vector<bool>* wanted) {
  if (node.kind == reader::NodeKind::kLeaf) {
    (*wanted)[static_cast<size_t>(node.leaf_index)] = true;
    return;
  }
  if (node.kind != reader::NodeKind::kStruct) {
    for (int l = node.first_leaf; l < node.leaf_end; ++l) (*wanted)[static_cast<size_t>(l)] = true;
    return;
  }
  for (const reader::ReaderNode& c : node.children) MarkLeaves(c, wanted);
}

// `node` with only the fields named by `paths` below it (see ColumnSelection::fields). A pruned
// struct keeps its levels; its first selected leaf carries its slots and nulls on reassembly.
Result<reader::ReaderNode> Prune(const reader::ReaderNode& node,
                                 const std::vector<std::vector<std::string>>& paths,
                                 const std::string& where) {
  if (node.kind != reader::NodeKind::kStruct) return node;
  for (const auto& p : paths) {
    if (p.empty()) return node;
  }
  const auto& fields = columnar::AsStruct(*node.field.type()).fields();
  for (const auto& p : paths) {
    bool known = false;
    for (const Field& f : fields) known = known || f.name() == p.front();
    if (!known) {
      return Status::NotFound("{}: no field '{}.{}'", where, node.field.name(), p.front());
    }
  }
  reader::ReaderNode out = node;
  out.children.clear();
  std::vector<Field> kept;
  for (size_t i = 0; i < node.children.size() && i < fields.size(); ++i) {
    std::vector<std::vector<std::string>> below;
    bool selected = false;
    for (const auto& p : paths) {
      if (p.front() != fields[i].name()) continue;
      selected = true;
      below.emplace_back(p.begin() + 1, p.end());
    }
    if (!selected) continue;
    SILT_ASSIGN_OR_RETURN(
        reader::ReaderNode child,
        Prune(node.children[i], below, fmt::format("{}: field '{}'", where, node.field.name())));
    kept.push_back(child.field);
    out.children.push_back(std::move(child));
  }
  out.first_leaf = out.children.front().first_leaf;
  out.leaf_end = out.children.back().leaf_end;
  out.field = node.field.WithType(columnar::Struct(std::move(kept)));
  return out;
}

}  // namespace

std::optional<expr::ColumnStats> FileReader::LeafStatistics(int row_group, int leaf) const {
  if (row_group < 0 || row_group >= num_row_groups()) return std::nullopt;
  const RowGroup& rg = metadata_.row_groups[static_cast<size_t>(row_group)];
  if (leaf < 0 || static_cast<size_t>(leaf) >= rg.columns.size() ||
      static_cast<size_t>(leaf) >= mapped_.leaves.size()) {
    return std::nullopt;
  }
  const auto& md = rg.columns[static_cast<size_t>(leaf)].meta_data;
  if (!md || !md->statistics) return std::nullopt;
  const Statistics& st = *md->statistics;
  expr::ColumnStats out;
  out.null_count = st.null_count;
  const LeafColumn& lc = mapped_.leaves[static_cast<size_t>(leaf)];
  const Conversion conv = mapped_.leaf_conversions[static_cast<size_t>(leaf)];
  const columnar::DataType& type = *mapped_.leaf_types[static_cast<size_t>(leaf)];
  ColumnOrder::Kind order = ColumnOrder::Kind::kTypeOrder;
  if (static_cast<size_t>(leaf) < metadata_.column_orders.size()) {
    order = metadata_.column_orders[static_cast<size_t>(leaf)].kind;
  }
  const std::string* min = nullptr;
  const std::string* max = nullptr;
  if (st.min_value && st.max_value && order == ColumnOrder::Kind::kTypeOrder) {
    min = &*st.min_value;
    max = &*st.max_value;
  } else if (st.min && st.max && SignedOrder(conv) &&
             (lc.type == PhysicalType::kBoolean || lc.type == PhysicalType::kInt32 ||
              lc.type == PhysicalType::kInt64 || lc.type == PhysicalType::kFloat ||
              lc.type == PhysicalType::kDouble)) {
    // Deprecated min/max: signed order of the physical value, trusted only where that is the
    // logical order.
    min = &*st.min;
    max = &*st.max;
  }
  if (min != nullptr) {
    auto lo = StatValue(*min, lc.type, conv, type);
    auto hi = StatValue(*max, lc.type, conv, type);
    if (lo && hi) {
      out.min = std::move(lo);
      out.max = std::move(hi);
    }
  }
  if (!out.min && !out.null_count) return std::nullopt;
  return out;
}

Result<std::unique_ptr<FileReader>> FileReader::Open(fs::FileSystem& fs, const std::string& path,
                                                     ReadOptions options) {
  if (options.batch_size <= 0) {
    return Status::InvalidArgument("batch_size must be positive, got {}", options.batch_size);
  }
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return Status::InvalidArgument("threads must be in 1..{}, got {}", kMaxThreads,
                                   options.threads);
  }
  std::unique_ptr<FileReader> r(new FileReader());
  r->path_ = path;
  r->impl_ = std::make_unique<Impl>();
  Impl& impl = *r->impl_;
  SILT_ASSIGN_OR_RETURN(impl.file, fs.OpenRandomAccess(path));
  auto md = ReadFileMetaData(*impl.file);
  if (!md.ok()) return md.status().WithContext(path);
  r->metadata_ = std::move(*md);
  SILT_ASSIGN_OR_RETURN(r->mapped_, reader::MapSchema(r->metadata_, path));
  const auto& fields = r->mapped_.schema->fields();
  const size_t num_leaves = r->mapped_.leaves.size();
  for (size_t g = 0; g < r->metadata_.row_groups.size(); ++g) {
    const RowGroup& rg = r->metadata_.row_groups[g];
    if (rg.columns.size() != num_leaves) {
      return Status::Corruption("{}: row group {} has {} column chunks, the schema {} columns",
                                path, g, rg.columns.size(), num_leaves);
    }
    if (rg.num_rows < 0) {
      return Status::Corruption("{}: row group {} has {} rows", path, g, rg.num_rows);
    }
  }

  // Projection.
  std::vector<Field> out_fields;
  if (!options.columns) {
    for (size_t i = 0; i < fields.size(); ++i) {
      impl.outputs.push_back({static_cast<int>(i), fields[i], nullptr, {}, false});
    }
  } else {
    for (const ColumnSelection& sel : *options.columns) {
      int found = -1;
      for (size_t i = 0; i < fields.size() && found < 0; ++i) {
        if (sel.field_id ? FieldIdOf(fields[i]) == sel.field_id : fields[i].name() == sel.name) {
          found = static_cast<int>(i);
        }
      }
      if (found >= 0) {
        Field f = fields[static_cast<size_t>(found)];
        std::shared_ptr<const reader::ReaderNode> pruned;
        if (!sel.fields.empty()) {
          SILT_ASSIGN_OR_RETURN(
              reader::ReaderNode node,
              Prune(r->mapped_.fields[static_cast<size_t>(found)], sel.fields, path));
          f = node.field;
          pruned = std::make_shared<const reader::ReaderNode>(std::move(node));
        }
        if (!sel.name.empty()) f = f.WithName(sel.name);
        impl.outputs.push_back({found, std::move(f), std::move(pruned), {}, false});
        continue;
      }
      std::string what =
          sel.field_id ? fmt::format("field id {}", *sel.field_id) : fmt::format("'{}'", sel.name);
      if (sel.type_if_missing == nullptr) {
        return Status::NotFound("{}: no column {}", path, what);
      }
      columnar::KeyValueMetadata meta;
      if (sel.field_id) meta.Set(std::string(reader::kFieldIdKey), std::to_string(*sel.field_id));
      impl.outputs.push_back(
          {-1, Field(sel.name.empty() ? what : sel.name, sel.type_if_missing, true, meta),
           nullptr, {}, false});
    }
  }
  std::vector<bool> wanted(num_leaves, false);
  for (size_t i = 0; i < impl.outputs.size(); ++i) {
    const auto& o = impl.outputs[i];
    out_fields.push_back(o.field_out);
    if (o.field < 0) {
      impl.output_groups.push_back({i});
      impl.group_leaves.emplace_back();
      continue;
    }
    std::vector<bool> mine(num_leaves, false);
    MarkLeaves(o.pruned ? *o.pruned : r->mapped_.fields[static_cast<size_t>(o.field)], &mine);
    std::vector<int> leaves;
    for (size_t l = 0; l < num_leaves; ++l) {
      if (mine[l]) leaves.push_back(static_cast<int>(l));
    }
    // This output joins every group it shares a leaf with (merging them: {a.x}, {a.y}, then
    // {a} makes one group), or starts one.
    std::vector<size_t> outs{i};
    std::vector<int> group_leaves = leaves;
    for (size_t g = 0; g < impl.group_leaves.size();) {
      bool shared = false;
      for (int l : impl.group_leaves[g]) shared = shared || mine[static_cast<size_t>(l)];
      if (!shared) {
        ++g;
        continue;
      }
      outs.insert(outs.end(), impl.output_groups[g].begin(), impl.output_groups[g].end());
      for (int l : impl.group_leaves[g]) {
        if (!mine[static_cast<size_t>(l)]) group_leaves.push_back(l);
      }
      impl.output_groups.erase(impl.output_groups.begin() + static_cast<ptrdiff_t>(g));
      impl.group_leaves.erase(impl.group_leaves.begin() + static_cast<ptrdiff_t>(g));
    }
    std::sort(outs.begin(), outs.end());
    impl.output_groups.push_back(std::move(outs));
    impl.group_leaves.push_back(std::move(group_leaves));
    for (int l : leaves) wanted[static_cast<size_t>(l)] = true;
    impl.outputs[i].leaves = std::move(leaves);
  }
  std::vector<bool> read_later(num_leaves, false);
  for (size_t i = impl.outputs.size(); i-- > 0;) {
    for (int l : impl.outputs[i].leaves) {
      if (read_later[static_cast<size_t>(l)]) impl.outputs[i].copy_leaves = true;
    }
    for (int l : impl.outputs[i].leaves) read_later[static_cast<size_t>(l)] = true;
  }
  r->output_schema_ = columnar::Schema::Make(std::move(out_fields));
  impl.leaf_readers.resize(num_leaves);
  impl.batches.resize(num_leaves);
  for (size_t l = 0; l < num_leaves; ++l) {
    if (!wanted[l]) continue;
    impl.leaves.push_back(static_cast<int>(l));
    impl.leaf_readers[l] = std::make_unique<reader::LeafReader>(
        r->mapped_.leaves[l], r->mapped_.leaf_conversions[l], r->mapped_.leaf_types[l], path,
        fmt::format("{}: column '{}'", path, fmt::join(r->mapped_.leaves[l].path, ".")));
  }

  // Row-group skipping.
  std::vector<int> candidates;
  if (options.row_groups) {
    for (int g : *options.row_groups) {
      if (g < 0 || g >= r->num_row_groups()) {
        return Status::InvalidArgument("{}: no row group {} (the file has {})", path, g,
                                       r->num_row_groups());
      }
    }
    candidates = *options.row_groups;
  } else {
    for (int g = 0; g < r->num_row_groups(); ++g) candidates.push_back(g);
  }
  for (int g : candidates) {
    if (options.predicate) {
      const FileReader* self = r.get();
      expr::StatsView view;
      view.num_records = r->metadata_.row_groups[static_cast<size_t>(g)].num_rows;
      view.column = [self,
                     g](const std::vector<std::string>& p) -> std::optional<expr::ColumnStats> {
        const auto& paths = self->mapped_.leaf_paths;
        for (size_t l = 0; l < paths.size(); ++l) {
          if (paths[l] == p && !self->mapped_.leaf_repeated[l]) {
            return self->LeafStatistics(g, static_cast<int>(l));
          }
        }
        return std::nullopt;
      };
      if (!expr::MayMatch(*options.predicate, view)) continue;
    }
    r->selected_.push_back(g);
  }
  impl.options = std::move(options);
  return r;
}

Status FileReader::OpenRowGroup(int row_group) {
  Impl& impl = *impl_;
  const RowGroup& rg = metadata_.row_groups[static_cast<size_t>(row_group)];
  // The byte range of leaf `i`'s chunk (positions in impl.leaves), or why it has none.
  auto chunk_range = [&](size_t i) -> Result<ByteRange> {
    const int l = impl.leaves[i];
    const ColumnChunk& cc = rg.columns[static_cast<size_t>(l)];
    const std::string column =
        fmt::format("{}", fmt::join(mapped_.leaves[static_cast<size_t>(l)].path, "."));
    if (cc.file_path.has_value() && !cc.file_path->empty()) {
      return Status::Unsupported("{}: column '{}' of row group {} is in another file", path_,
                                 column, row_group);
    }
    if (!cc.meta_data) {
      return Status::Corruption("{}: column '{}' of row group {} has no metadata", path_, column,
                                row_group);
    }
    auto range = ColumnChunkRange(*cc.meta_data, impl.file->size());
    if (!range.ok()) {
      return range.status().WithContext(fmt::format("{}: column '{}'", path_, column));
    }
    return *range;
  };
  auto start_chunk = [&](size_t i, const ByteRange& range) -> Status {
    const size_t l = static_cast<size_t>(impl.leaves[i]);
    SILT_ASSIGN_OR_RETURN(std::string bytes, impl.file->ReadAt(range.offset, range.length));
    return impl.leaf_readers[l]->StartChunk(*rg.columns[l].meta_data, std::move(bytes),
                                            impl.options.page_options);
  };
  if (impl.pool == nullptr) {
    for (size_t i = 0; i < impl.leaves.size(); ++i) {
      SILT_ASSIGN_OR_RETURN(ByteRange range, chunk_range(i));
      SILT_RETURN_NOT_OK(start_chunk(i, range));
    }
    return Status::OK();
  }
  // The leaves up to the first without a usable chunk are read and started on the pool; the
  // first error in leaf order wins, as when they are read one after the other.
  std::vector<ByteRange> ranges;
  Status bad;
  for (size_t i = 0; i < impl.leaves.size() && bad.ok(); ++i) {
    auto range = chunk_range(i);
    if (range.ok()) {
      ranges.push_back(*range);
    } else {
      bad = range.status();
    }
  }
  // The work of a leaf grows with its decoded size; that of an output with its leaves'.
  std::vector<int64_t> leaf_cost(ranges.size());
  std::vector<int64_t> by_leaf(rg.columns.size(), 0);
  for (size_t i = 0; i < ranges.size(); ++i) {
    const size_t l = static_cast<size_t>(impl.leaves[i]);
    leaf_cost[i] = std::max<int64_t>(rg.columns[l].meta_data->total_uncompressed_size, 0);
    by_leaf[l] = leaf_cost[i];
  }
  impl.leaf_order = ByDecreasingCost(leaf_cost);
  std::vector<Status> status(ranges.size());
  impl.pool->Run(impl.leaf_order, [&](size_t i) { status[i] = start_chunk(i, ranges[i]); });
  for (Status& st : status) SILT_RETURN_NOT_OK(std::move(st));
  SILT_RETURN_NOT_OK(std::move(bad));
  std::vector<int64_t> group_cost(impl.output_groups.size(), 0);
  for (size_t g = 0; g < group_cost.size(); ++g) {
    for (int l : impl.group_leaves[g]) group_cost[g] += by_leaf[static_cast<size_t>(l)];
  }
  impl.group_order = ByDecreasingCost(group_cost);
  return Status::OK();
}

Status FileReader::DecodeLeaves(int64_t rows) {
  Impl& impl = *impl_;
  auto decode = [&](size_t i) {
    const size_t l = static_cast<size_t>(impl.leaves[i]);
    reader::LeafBatch& batch = impl.batches[l];
    batch.Clear();
    return impl.leaf_readers[l]->ReadRows(rows, &batch);
  };
  if (impl.pool == nullptr) {
    for (size_t i = 0; i < impl.leaves.size(); ++i) SILT_RETURN_NOT_OK(decode(i));
    return Status::OK();
  }
  // Every leaf is decoded (leaf readers are independent); the first error in leaf order wins.
  std::vector<Status> status(impl.leaves.size());
  impl.pool->Run(impl.leaf_order, [&](size_t i) { status[i] = decode(i); });
  for (Status& st : status) SILT_RETURN_NOT_OK(std::move(st));
  return Status::OK();
}

Status FileReader::AssembleOutput(size_t output, int64_t rows, ArrayPtr* out) {
  Impl& impl = *impl_;
  const Impl::Output& o = impl.outputs[output];
  if (o.field < 0) {
    SILT_ASSIGN_OR_RETURN(*out, columnar::MakeArrayOfNulls(o.field_out.type(), rows));
    return Status::OK();
  }
  const reader::ReaderNode& node =
      o.pruned ? *o.pruned : mapped_.fields[static_cast<size_t>(o.field)];
  const std::string column = fmt::format("{}: column '{}'", path_, node.field.name());
  std::vector<reader::LeafBatch> copies;
  if (o.copy_leaves) {
    copies.resize(impl.batches.size());
    for (int l : o.leaves) {
      const reader::LeafBatch& from = impl.batches[static_cast<size_t>(l)];
      reader::LeafBatch& to = copies[static_cast<size_t>(l)];
      to.def = from.def;
      to.rep = from.rep;
      to.num_entries = from.num_entries;
      to.num_values = from.num_values;
      to.bools = from.bools;
      to.bytes.offsets = from.bytes.offsets;
      to.bytes.data.append(from.bytes.data.data(), from.bytes.data.size());
      if (from.fixed) {
        SILT_ASSIGN_OR_RETURN(to.fixed, columnar::MutableBuffer::Allocate(from.fixed->size()));
        if (from.fixed->size() > 0) {
          std::memcpy(to.fixed->mutable_data(), from.fixed->data(),
                      static_cast<size_t>(from.fixed->size()));
        }
      }
    }
  }
  SILT_ASSIGN_OR_RETURN(ArrayPtr array,
                        reader::AssembleColumn(node, o.copy_leaves ? copies : impl.batches, column));
  if (array->length() != rows) {
    return Status::Corruption("{}: {} values for {} rows", column, array->length(), rows);
  }
  if (impl.options.validate) {
    Status st = array->Validate();
    if (!st.ok()) return Status::Corruption("{}: {}", column, st.message());
  }
  *out = std::move(array);
  return Status::OK();
}

Status FileReader::AssembleOutputs(int64_t rows, std::vector<ArrayPtr>* columns) {
  Impl& impl = *impl_;
  columns->assign(impl.outputs.size(), nullptr);
  if (impl.pool == nullptr) {
    for (size_t i = 0; i < impl.outputs.size(); ++i) {
      SILT_RETURN_NOT_OK(AssembleOutput(i, rows, &(*columns)[i]));
    }
    return Status::OK();
  }
  // Each task touches only its group's leaf batches and output slots; the first error in output
  // order wins.
  std::vector<Status> status(impl.outputs.size());
  impl.pool->Run(impl.group_order, [&](size_t g) {
    for (size_t i : impl.output_groups[g]) {
      status[i] = AssembleOutput(i, rows, &(*columns)[i]);
      if (!status[i].ok()) break;
    }
  });
  for (Status& st : status) SILT_RETURN_NOT_OK(std::move(st));
  return Status::OK();
}

Result<std::optional<columnar::RecordBatchPtr>> FileReader::Next() {
  Impl& impl = *impl_;
  if (!impl.error.ok()) return impl.error;
  auto batch = ReadBatch();
  if (!batch.ok()) impl.error = batch.status();
  return batch;
}

Result<std::optional<columnar::RecordBatchPtr>> FileReader::ReadBatch() {
  Impl& impl = *impl_;
  while (true) {
    if (!impl.rg_open) {
      if (impl.next_rg >= selected_.size()) return std::optional<columnar::RecordBatchPtr>();
      const int g = selected_[impl.next_rg++];
      impl.rows_left = metadata_.row_groups[static_cast<size_t>(g)].num_rows;
      if (impl.rows_left == 0) continue;
      if (impl.options.threads > 1 && impl.pool == nullptr) {
        const size_t tasks = std::max(impl.leaves.size(), impl.output_groups.size());
        const int workers = static_cast<int>(
            std::min(static_cast<size_t>(impl.options.threads), tasks)) - 1;
        if (workers > 0) impl.pool = std::make_unique<WorkerPool>(workers);
      }
      SILT_RETURN_NOT_OK(OpenRowGroup(g));
      impl.rg_open = true;
    }
    const int64_t n = std::min(impl.options.batch_size, impl.rows_left);
    SILT_RETURN_NOT_OK(DecodeLeaves(n));
    std::vector<ArrayPtr> columns;
    SILT_RETURN_NOT_OK(AssembleOutputs(n, &columns));
    impl.rows_left -= n;
    if (impl.rows_left == 0) {
      for (int l : impl.leaves) {
        SILT_RETURN_NOT_OK(impl.leaf_readers[static_cast<size_t>(l)]->FinishChunk());
      }
      impl.rg_open = false;
    }
    auto batch = columnar::RecordBatch::Make(output_schema_, n, std::move(columns));
    if (!batch.ok()) {
      return Status::Corruption("{}: {}", path_, batch.status().message());
    }
    return std::optional<columnar::RecordBatchPtr>(std::move(*batch));
  }
}

Result<std::vector<columnar::RecordBatchPtr>> ReadTable(fs::FileSystem& fs, const std::string& path,
                                                        ReadOptions options) {
  SILT_ASSIGN_OR_RETURN(auto reader, FileReader::Open(fs, path, std::move(options)));
  std::vector<columnar::RecordBatchPtr> out;
  while (true) {
    SILT_ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    out.push_back(std::move(*batch));
  }
  return out;
}

}  // namespace silt::parquet
