package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Checking a fleet allocates about 70 KB per file and keeps little more
// than the findings, so with Go's default pacing (collect when the heap has
// doubled) a fleet of thousands of files would be collected hundreds of
// times while the live heap is a few megabytes. tuneGC lets the heap grow
// to gcFloor before collecting, and to 2 × the live heap (Go's default)
// once that is more. gcLimit bounds the memory when the live heap grows
// faster than the pacing follows; it rises with the live heap (live heap +
// gcHeadroom), so that a large fleet never makes the collector run
// constantly.
const (
	gcFloor    = 48 << 20
	gcLimit    = 72 << 20
	gcHeadroom = 40 << 20
)

// tuneGC sets the collector's pacing for a run of the command, unless the
// GOGC or GOMEMLIMIT environment variable sets it.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	// Before the first collection the runtime's heap goal is 4 MB × GOGC/100.
	debug.SetGCPercent(gcFloor / (4 << 20) * 100)
	debug.SetMemoryLimit(gcLimit)
	armGCTuner()
}

var liveHeap = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// gcSentinel is garbage at once; its finalizer runs after a collection.
// (It holds a pointer so that it is not batched with other tiny objects.)
type gcSentinel struct{ _ *byte }

// armGCTuner sets a finalizer that runs after the next collection, adjusts
// the pacing to the live heap that collection found and arms itself again.
func armGCTuner() {
	runtime.SetFinalizer(new(gcSentinel), func(*gcSentinel) {
		metrics.Read(liveHeap)
		live := uint64(0)
		if liveHeap[0].Value.Kind() == metrics.KindUint64 {
			live = liveHeap[0].Value.Uint64()
		}
		percent := 100
		if live > 0 && live < gcFloor/2 {
			percent = int((gcFloor - live) * 100 / live)
		}
		debug.SetGCPercent(percent)
		// The limit follows the live heap with a fixed headroom rather
		// than a factor: a report of thousands of files keeps their
		// sources, and doubling that would pass 100 MB.
		debug.SetMemoryLimit(int64(max(gcLimit, live+gcHeadroom)))
		armGCTuner()
	})
}
