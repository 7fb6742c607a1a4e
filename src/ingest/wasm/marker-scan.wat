;; Candidate finder for the JSONL marker search (see ../marker-scan.ts).
;; A marker is a JSON key or string that starts with a quote, so it can only begin at a
;; quote that is not escaped (the byte before it is not a backslash; inside a JSON string
;; every quote is). scan() lists, 16 bytes at a time, every such quote whose next byte is in
;; the first-byte set (nibble tables) and whose next two bytes are in the pair bitmap. The
;; caller checks each candidate against its markers, so a false candidate costs only a check.
;;
;; Memory (fixed; never grows, so a Buffer over it stays valid):
;;   [BUF - 64, BUF)        zeros: the byte before the data is never a backslash
;;   [BUF, BUF + 4 MiB)     the read buffer (+64 bytes of slack: loads run past the end)
;;   [TABLES, +16 x 8224)   per marker set: 16-byte low-nibble table, 16-byte high-nibble
;;                          table, 8192-byte bitmap of (byte 1 << 8 | byte 2)
;;   [OUT, +4 MiB)          candidate offsets (u32), at most one per scanned byte
;; Assembled with wabt: wat2wasm marker-scan.wat (npm run wasm).
(module
  (memory (export "memory") 131)
  (func (export "scan")
    (param $start i32) (param $end i32) (param $table i32) (param $out i32) (result i32)
    (local $i i32) (local $n i32) (local $m i32) (local $p i32) (local $pair i32)
    (local $v v128) (local $q v128) (local $nx v128)
    (local $lo v128) (local $hi v128)
    (local.set $lo (v128.load (local.get $table)))
    (local.set $hi (v128.load offset=16 (local.get $table)))
    (local.set $i (local.get $start))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $q (i8x16.eq (v128.load (local.get $i)) (i8x16.splat (i32.const 0x22))))
        (if (v128.any_true (local.get $q))
          (then
            (local.set $nx (v128.load offset=1 (local.get $i)))
            ;; quote, not after a backslash, next byte in the first-byte set
            (local.set $m
              (i8x16.bitmask
                (v128.and
                  (v128.andnot
                    (local.get $q)
                    (i8x16.eq (v128.load (i32.sub (local.get $i) (i32.const 1))) (i8x16.splat (i32.const 0x5c))))
                  (i8x16.ne
                    (v128.and
                      (i8x16.swizzle (local.get $lo) (v128.and (local.get $nx) (i8x16.splat (i32.const 0x0f))))
                      (i8x16.swizzle (local.get $hi) (i8x16.shr_u (local.get $nx) (i32.const 4))))
                    (v128.const i32x4 0 0 0 0)))))
            (block $bits
              (loop $bit
                (br_if $bits (i32.eqz (local.get $m)))
                (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
                (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                (local.set $pair
                  (i32.or
                    (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 8))
                    (i32.load8_u offset=2 (local.get $p))))
                (if (i32.and
                      (i32.lt_u (local.get $p) (local.get $end))
                      (i32.and
                        (i32.shr_u
                          (i32.load8_u offset=32
                            (i32.add (local.get $table) (i32.shr_u (local.get $pair) (i32.const 3))))
                          (i32.and (local.get $pair) (i32.const 7)))
                        (i32.const 1)))
                  (then
                    (i32.store
                      (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
                      (i32.sub (local.get $p) (local.get $start)))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                (br $bit)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.get $n)))
