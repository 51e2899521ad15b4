#pragma once
// Tasks 0..n-1 on a few threads; each task writes only its own outputs, so
// results do not depend on the thread count.

#include <cstddef>
#include <functional>

namespace endstate::simulate::detail {

/// Threads to use: `requested`, or the hardware count when 0; at least 1.
int thread_count(int requested);
/// Runs f(0..n-1) on `threads` threads (tasks claimed in order); rethrows the first exception.
void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& f);

}  // namespace endstate::simulate::detail
