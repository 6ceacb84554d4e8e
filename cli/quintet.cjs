#!/usr/bin/env node
// The `quintet` bin: sets the size of libuv's thread pool, then runs cli/quintet.mjs in this same process.
//
// Node runs every file-system call (each fsync included) on libuv's pool: UV_THREADPOOL_SIZE threads, 4 unless set,
// read once when the pool starts. An ES module entry starts the pool while Node loads it, before any of its code runs,
// so only a CommonJS entry can choose the size for the whole process. 8: a mirror of many small files syncs each one
// before its rename, and with 4 threads those syncs waited on each other (2,000 files of 64 B–8 KiB into a journaled
// ext4, `quintet local`: median 794 → 559 ms; without fsync no change; bench/README.md, "Local mirror").
// A size the user set is kept.
'use strict';
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = '8';
import('./quintet.mjs');
