#!/usr/bin/env node
// The `quintet` bin: sets the size of libuv's thread pool, then runs cli/quintet.mjs in this same process.
//
// Node runs every file-system call (each fsync included) on libuv's pool: UV_THREADPOOL_SIZE threads, 4 unless set,
// read once when the pool starts. An ES module entry starts the pool while Node loads it, before any of its code runs,
// so only a CommonJS entry can choose the size for the whole process. 64: a mirror of many small files syncs each one
// before its rename (fdatasync, one thread each while it waits), and a journaling file system commits together the
// syncs that wait at the same time: with 8 threads (and 16 copies in flight) ext4 made ~500 journal commits for 2,000
// small files, with 64 threads and 64 copies (cli/local-sync.ts) 69-111, and a durable `quintet local` on a busy machine
// took 1.3 s instead of 3.6 s (bench/README.md, "Local mirror", 2026-11-30 22:46). Idle threads cost only their stacks.
// A size the user set is kept.
'use strict';
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = '64';
import('./quintet.mjs');
