package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progressDelay is how long a folder walk runs before the progress line
// appears; short runs never show it. Tests lower it.
var progressDelay = time.Second

// progressTick is how often the line is redrawn.
const progressTick = 100 * time.Millisecond

// progress draws "maillint: [=====>    ] 1234/5000 files" on stderr while
// a folder walk and its checks run. It is drawn only when stderr is a
// terminal, not in CI (CI is set), not on a dumb terminal. A nil *progress
// does nothing.
type progress struct {
	w           io.Writer
	found, done atomic.Int64
	stop        chan struct{}
	stopped     sync.WaitGroup
	shown       bool // written only by the drawing goroutine
	once        sync.Once
}

// startProgress starts the progress line if it may be shown.
func (c *Command) startProgress() *progress {
	if !c.stderrIsTerminal() || c.Getenv("CI") != "" || c.Getenv("TERM") == "dumb" {
		return nil
	}
	p := &progress{w: c.Stderr, stop: make(chan struct{})}
	p.stopped.Add(1)
	go p.loop()
	return p
}

func (p *progress) addFound(n int) {
	if p != nil && n > 0 {
		p.found.Add(int64(n))
	}
}

func (p *progress) addDone(n int) {
	if p != nil && n > 0 {
		p.done.Add(int64(n))
	}
}

func (p *progress) loop() {
	defer p.stopped.Done()
	if progressDelay > 0 {
		delay := time.NewTimer(progressDelay)
		defer delay.Stop()
		select {
		case <-p.stop:
			return
		case <-delay.C:
		}
	}
	tick := time.NewTicker(progressTick)
	defer tick.Stop()
	for {
		p.draw()
		select {
		case <-p.stop:
			if p.shown {
				// Erase the line so the report starts on a clean one.
				fmt.Fprint(p.w, "\r\x1b[2K")
			}
			return
		case <-tick.C:
		}
	}
}

func (p *progress) draw() {
	found, done := p.found.Load(), p.done.Load()
	const width = 30
	filled := 0
	if found > 0 {
		filled = int(min(done, found) * width / found)
	}
	bar := strings.Repeat("=", filled)
	if filled < width {
		bar += ">" + strings.Repeat(" ", width-filled-1)
	}
	fmt.Fprintf(p.w, "\r\x1b[2Kmaillint: [%s] %d/%d files", bar, done, found)
	p.shown = true
}

// finish stops and erases the line; it must be called before anything
// else is written to stderr.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.once.Do(func() {
		close(p.stop)
		p.stopped.Wait()
	})
}
