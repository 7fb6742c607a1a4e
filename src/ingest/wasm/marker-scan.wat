;; Candidate finder for the JSONL marker search (see ../marker-scan.ts).
;; A marker is a JSON key or string that starts with a quote, so it can only begin at a
;; quote that is not escaped (the byte before it is not a backslash; inside a JSON string
;; every quote is). scan() lists, 16 bytes at a time, every such quote whose next byte is in
;; the first-byte set (nibble tables), whose next two bytes are in the first pair bitmap and
;; whose second and third bytes are in the second. The caller checks each candidate against
;; its markers, so a false candidate costs only a check (the second bitmap keeps `"user` and
;; `"userType` away from `"usage`: two on every Claude Code line).
;;
;; Memory (fixed; never grows, so a Buffer over it stays valid):
;;   [BUF - 64, BUF)        zeros: the byte before the data is never a backslash
;;   [BUF, BUF + 4 MiB)     the read buffer (+64 bytes of slack: loads run past the end)
;;   [TABLES, +16 x 16416)  per marker set: 16-byte low-nibble table, 16-byte high-nibble
;;                          table, 8192-byte bitmaps of (byte 1 << 8 | byte 2) and of
;;                          (byte 2 << 8 | byte 3)
;;   [OUT, +4 MiB)          candidate offsets (u32), at most one per scanned byte
;;   [STACK, +256)          tape(): open containers' entries (addresses, u32; depth at most 64)
;;   [NAMES, +8 KiB)        tape(): key names, set by the caller: 256 one-byte slots (a name's
;;                          number, 0 empty) by $hash, then per number 1..63 its bytes' address
;;                          and length (u32 pairs, from NAMES + 256), then the bytes
;;   [PATHS, +4 KiB)        tape(): key paths, set by the caller: per path node 0..31 (0: the
;;                          line's object) and name number, the child node (u8, 0 none) at
;;                          node * 64 + name; then at +2048 each node's entry (i32, -1 none),
;;                          +2176 flags (1 an escaped key, 2 a repeated key, in an object on a
;;                          path), +2180 the number of nodes, +2304 the open containers' nodes
;;   [TAPE, +1 MiB)         tape(): entries, 16 bytes each (see tape below)
;; Assembled with wabt: wat2wasm marker-scan.wat (npm run wasm).
(module
  (memory (export "memory") 149)
  (func (export "scan")
    (param $start i32) (param $end i32) (param $table i32) (param $out i32) (result i32)
    (local $i i32) (local $n i32) (local $m i32) (local $p i32) (local $pair i32) (local $pair2 i32)
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
                (local.set $pair2
                  (i32.or
                    (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 8))
                    (i32.load8_u offset=3 (local.get $p))))
                (if (i32.and
                      (i32.lt_u (local.get $p) (local.get $end))
                      (i32.and
                        (i32.and
                          (i32.shr_u
                            (i32.load8_u offset=32
                              (i32.add (local.get $table) (i32.shr_u (local.get $pair) (i32.const 3))))
                            (i32.and (local.get $pair) (i32.const 7)))
                          (i32.shr_u
                            (i32.load8_u offset=8224
                              (i32.add (local.get $table) (i32.shr_u (local.get $pair2) (i32.const 3))))
                            (i32.and (local.get $pair2) (i32.const 7))))
                        (i32.const 1)))
                  (then
                    (i32.store
                      (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
                      (i32.sub (local.get $p) (local.get $start)))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                (br $bit)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.get $n))

  ;; tape(): one JSON line checked exactly as JSON.parse checks the text Node decodes from it,
  ;; its values written as entries in document order, so a reader can take fields from the
  ;; bytes without building objects. -1: invalid, or a line left to JSON.parse (bytes that are
  ;; not valid UTF-8, nesting over 64, more entries than `cap`). An entry, 4 x u32:
  ;;   kind | flags << 4 | children << 8   kind: 1 object, 2 array, 3 string, 4 number,
  ;;                                       5 true, 6 false, 7 null; an object's children are
  ;;                                       its keys; a key is a string entry before its value,
  ;;                                       with the number of its name (NAMES) << 8 if it has
  ;;                                       one and its object is at most 5 deep
  ;;   start, end                          strings: the text between the quotes; else the token
  ;;   units | next                        strings: length in UTF-16 units once unescaped;
  ;;                                       containers: the entry after their last descendant
  ;; String flags: 1 has escapes, 2 has bytes over 0x7f. Number flag 1: at most 15 digits,
  ;; no fraction or exponent, not -0 (its decimal text is what String() gives back).
  ;; Paths (PATHS): the entry of each value at a path of keys from the line's object, so that a
  ;; reader need not walk to it; flagged where an escaped or repeated key could make that wrong.
  (func $ws (param $i i32) (param $end i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $done
          (i32.eqz
            (i32.or
              (i32.or (i32.eq (local.get $c) (i32.const 0x20)) (i32.eq (local.get $c) (i32.const 0x0a)))
              (i32.or (i32.eq (local.get $c) (i32.const 0x0d)) (i32.eq (local.get $c) (i32.const 0x09))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  (func $digit (param $c i32) (result i32)
    (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)))

  (func $hex (param $c i32) (result i32)
    (i32.or
      (call $digit (local.get $c))
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6))))

  (func $cont (param $p i32) (result i32)
    (i32.eq (i32.and (i32.load8_u (local.get $p)) (i32.const 0xc0)) (i32.const 0x80)))

  ;; The string whose opening quote is at $i, into entry $e; the position after its closing quote, or -1.
  (func $string (param $i i32) (param $end i32) (param $e i32) (result i32)
    (local $j i32) (local $c i32) (local $c1 i32) (local $units i32) (local $flags i32) (local $m i32) (local $v v128)
    (local.set $j (i32.add (local.get $i) (i32.const 1)))
    (block $done
      (loop $next
        ;; Plain ASCII 16 bytes at a time, up to the first quote, backslash, control or non-ASCII byte.
        (if (i32.le_u (i32.add (local.get $j) (i32.const 16)) (local.get $end))
          (then
            (local.set $v (v128.load (local.get $j)))
            (local.set $m
              (i8x16.bitmask
                (v128.or
                  (v128.or
                    (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))
                    (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c))))
                  (i8x16.lt_s (local.get $v) (i8x16.splat (i32.const 0x20))))))
            (if (i32.eqz (local.get $m))
              (then
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (local.set $units (i32.add (local.get $units) (i32.const 16)))
                (br $next)))
            (local.set $m (i32.ctz (local.get $m)))
            (local.set $j (i32.add (local.get $j) (local.get $m)))
            (local.set $units (i32.add (local.get $units) (local.get $m)))))
        (if (i32.ge_u (local.get $j) (local.get $end)) (then (return (i32.const -1))))
        (local.set $c (i32.load8_u (local.get $j)))
        (br_if $done (i32.eq (local.get $c) (i32.const 0x22)))
        (if (i32.eq (local.get $c) (i32.const 0x5c))
          (then
            (local.set $flags (i32.or (local.get $flags) (i32.const 1)))
            (if (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $end)) (then (return (i32.const -1))))
            (local.set $c (i32.load8_u offset=1 (local.get $j)))
            (if (i32.eq (local.get $c) (i32.const 0x75))
              (then
                (if (i32.gt_u (i32.add (local.get $j) (i32.const 6)) (local.get $end)) (then (return (i32.const -1))))
                (if (i32.eqz
                      (i32.and
                        (i32.and (call $hex (i32.load8_u offset=2 (local.get $j))) (call $hex (i32.load8_u offset=3 (local.get $j))))
                        (i32.and (call $hex (i32.load8_u offset=4 (local.get $j))) (call $hex (i32.load8_u offset=5 (local.get $j))))))
                  (then (return (i32.const -1))))
                (local.set $j (i32.add (local.get $j) (i32.const 6))))
              (else
                (if (i32.eqz
                      (i32.or
                        (i32.or
                          (i32.or (i32.eq (local.get $c) (i32.const 0x22)) (i32.eq (local.get $c) (i32.const 0x5c)))
                          (i32.or (i32.eq (local.get $c) (i32.const 0x2f)) (i32.eq (local.get $c) (i32.const 0x62))))
                        (i32.or
                          (i32.or (i32.eq (local.get $c) (i32.const 0x66)) (i32.eq (local.get $c) (i32.const 0x6e)))
                          (i32.or (i32.eq (local.get $c) (i32.const 0x72)) (i32.eq (local.get $c) (i32.const 0x74))))))
                  (then (return (i32.const -1))))
                (local.set $j (i32.add (local.get $j) (i32.const 2)))))
            (local.set $units (i32.add (local.get $units) (i32.const 1)))
            (br $next)))
        (if (i32.lt_u (local.get $c) (i32.const 0x20)) (then (return (i32.const -1))))
        (if (i32.lt_u (local.get $c) (i32.const 0x80))
          (then
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (local.set $units (i32.add (local.get $units) (i32.const 1)))
            (br $next)))
        ;; UTF-8 as the standard allows it (no overlongs, surrogates or values past U+10FFFF):
        ;; anything else Node would decode to U+FFFD, which is left to JSON.parse.
        (local.set $flags (i32.or (local.get $flags) (i32.const 2)))
        (if (i32.lt_u (local.get $c) (i32.const 0xc2)) (then (return (i32.const -1))))
        (if (i32.lt_u (local.get $c) (i32.const 0xe0))
          (then
            (if (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $end)) (then (return (i32.const -1))))
            (if (i32.eqz (call $cont (i32.add (local.get $j) (i32.const 1)))) (then (return (i32.const -1))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (local.set $units (i32.add (local.get $units) (i32.const 1)))
            (br $next)))
        (if (i32.lt_u (local.get $c) (i32.const 0xf0))
          (then
            (if (i32.gt_u (i32.add (local.get $j) (i32.const 3)) (local.get $end)) (then (return (i32.const -1))))
            (local.set $c1 (i32.load8_u offset=1 (local.get $j)))
            (if (i32.or
                  (i32.lt_u (local.get $c1) (select (i32.const 0xa0) (i32.const 0x80) (i32.eq (local.get $c) (i32.const 0xe0))))
                  (i32.gt_u (local.get $c1) (select (i32.const 0x9f) (i32.const 0xbf) (i32.eq (local.get $c) (i32.const 0xed)))))
              (then (return (i32.const -1))))
            (if (i32.eqz (call $cont (i32.add (local.get $j) (i32.const 2)))) (then (return (i32.const -1))))
            (local.set $j (i32.add (local.get $j) (i32.const 3)))
            (local.set $units (i32.add (local.get $units) (i32.const 1)))
            (br $next)))
        (if (i32.ge_u (local.get $c) (i32.const 0xf5)) (then (return (i32.const -1))))
        (if (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $end)) (then (return (i32.const -1))))
        (local.set $c1 (i32.load8_u offset=1 (local.get $j)))
        (if (i32.or
              (i32.lt_u (local.get $c1) (select (i32.const 0x90) (i32.const 0x80) (i32.eq (local.get $c) (i32.const 0xf0))))
              (i32.gt_u (local.get $c1) (select (i32.const 0x8f) (i32.const 0xbf) (i32.eq (local.get $c) (i32.const 0xf4)))))
          (then (return (i32.const -1))))
        (if (i32.eqz (i32.and (call $cont (i32.add (local.get $j) (i32.const 2))) (call $cont (i32.add (local.get $j) (i32.const 3)))))
          (then (return (i32.const -1))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (local.set $units (i32.add (local.get $units) (i32.const 2)))
        (br $next)))
    (i32.store (local.get $e) (i32.or (i32.const 3) (i32.shl (local.get $flags) (i32.const 4))))
    (i32.store offset=4 (local.get $e) (i32.add (local.get $i) (i32.const 1)))
    (i32.store offset=8 (local.get $e) (local.get $j))
    (i32.store offset=12 (local.get $e) (local.get $units))
    (i32.add (local.get $j) (i32.const 1)))

  ;; The number starting at $i, into entry $e; the position after it, or -1. What follows it is the caller's to check.
  (func $number (param $i i32) (param $end i32) (param $e i32) (result i32)
    (local $j i32) (local $d i32) (local $simple i32)
    (local.set $j (local.get $i))
    (local.set $simple (i32.const 1))
    (if (i32.eq (i32.load8_u (local.get $j)) (i32.const 0x2d)) (then (local.set $j (i32.add (local.get $j) (i32.const 1)))))
    (if (i32.ge_u (local.get $j) (local.get $end)) (then (return (i32.const -1))))
    (local.set $d (local.get $j))
    (if (i32.eq (i32.load8_u (local.get $j)) (i32.const 0x30))
      (then
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        ;; -0 prints as 0
        (if (i32.ne (local.get $d) (local.get $i)) (then (local.set $simple (i32.const 0)))))
      (else
        (if (i32.eqz (call $digit (i32.load8_u (local.get $j)))) (then (return (i32.const -1))))
        (block $int
          (loop $more
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $int (i32.ge_u (local.get $j) (local.get $end)))
            (br_if $more (call $digit (i32.load8_u (local.get $j))))))))
    (if (i32.gt_u (i32.sub (local.get $j) (local.get $d)) (i32.const 15)) (then (local.set $simple (i32.const 0))))
    (if (i32.and (i32.lt_u (local.get $j) (local.get $end)) (i32.eq (i32.load8_u (local.get $j)) (i32.const 0x2e)))
      (then
        (local.set $simple (i32.const 0))
        (local.set $j (call $digits (i32.add (local.get $j) (i32.const 1)) (local.get $end)))
        (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const -1))))))
    (if (i32.and (i32.lt_u (local.get $j) (local.get $end)) (i32.eq (i32.or (i32.load8_u (local.get $j)) (i32.const 0x20)) (i32.const 0x65)))
      (then
        (local.set $simple (i32.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (if (i32.lt_u (local.get $j) (local.get $end))
          (then
            (if (i32.or (i32.eq (i32.load8_u (local.get $j)) (i32.const 0x2b)) (i32.eq (i32.load8_u (local.get $j)) (i32.const 0x2d)))
              (then (local.set $j (i32.add (local.get $j) (i32.const 1)))))))
        (local.set $j (call $digits (local.get $j) (local.get $end)))
        (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const -1))))))
    (i32.store (local.get $e) (i32.or (i32.const 4) (i32.shl (local.get $simple) (i32.const 4))))
    (i32.store offset=4 (local.get $e) (local.get $i))
    (i32.store offset=8 (local.get $e) (local.get $j))
    (local.get $j))

  ;; One or more digits from $j: the position after them, or -1.
  (func $digits (param $j i32) (param $end i32) (result i32)
    (local $from i32)
    (local.set $from (local.get $j))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (br_if $done (i32.eqz (call $digit (i32.load8_u (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $more)))
    (select (i32.const -1) (local.get $j) (i32.eq (local.get $j) (local.get $from))))

  ;; A key's slot in the name table: from its length and three of its bytes.
  (func $hash (param $s i32) (param $n i32) (result i32)
    (i32.and
      (i32.add
        (i32.add (local.get $n) (i32.mul (i32.load8_u (local.get $s)) (i32.const 3)))
        (i32.add
          (i32.mul (i32.load8_u (i32.add (local.get $s) (i32.sub (local.get $n) (i32.const 1)))) (i32.const 7))
          (i32.mul (i32.load8_u (i32.add (local.get $s) (i32.shr_u (local.get $n) (i32.const 1)))) (i32.const 5))))
      (i32.const 255)))

  ;; The number of the name bytes [$s, $s + $n) are, or 0 (the table probes on from the slot).
  (func $name (param $names i32) (param $s i32) (param $n i32) (result i32)
    (local $h i32) (local $id i32) (local $at i32) (local $k i32) (local $probe i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (local.set $h (call $hash (local.get $s) (local.get $n)))
    (block $none
      (loop $slot
        (local.set $id (i32.load8_u (i32.add (local.get $names) (local.get $h))))
        (br_if $none (i32.eqz (local.get $id)))
        (local.set $at (i32.add (i32.add (local.get $names) (i32.const 256)) (i32.shl (local.get $id) (i32.const 3))))
        (if (i32.eq (i32.load offset=4 (local.get $at)) (local.get $n))
          (then
            (local.set $at (i32.load (local.get $at)))
            (local.set $k (i32.const 0))
            (block $differ
              (loop $byte
                (if (i32.ge_u (local.get $k) (local.get $n)) (then (return (local.get $id))))
                (br_if $differ
                  (i32.ne (i32.load8_u (i32.add (local.get $s) (local.get $k))) (i32.load8_u (i32.add (local.get $at) (local.get $k)))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $byte)))))
        (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (i32.const 255)))
        (local.set $probe (i32.add (local.get $probe) (i32.const 1)))
        (br_if $slot (i32.lt_u (local.get $probe) (i32.const 256)))))
    (i32.const 0))

  (func (export "tape")
    (param $start i32) (param $end i32) (param $tape i32) (param $cap i32) (param $stack i32) (param $names i32) (param $paths i32) (result i32)
    (local $i i32) (local $n i32) (local $depth i32) (local $state i32) (local $c i32) (local $e i32)
    (local $top i32) (local $kind i32) (local $node i32) (local $next i32) (local $p i32) (local $k i32)
    ;; $state: 0 a value is next, 1 a key, 2 a value just ended, 3 the container at the top just closed.
    ;; $top: that container's entry (address), $kind: its kind (0 at the top level).
    ;; $node: that container's path node (-1: on no path); $next: the next value's (the line's object: 0).
    (local.set $k (i32.load offset=2180 (local.get $paths)))
    (block $cleared
      (loop $clear
        (br_if $cleared (i32.eqz (local.get $k)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (i32.store offset=2048 (i32.add (local.get $paths) (i32.shl (local.get $k) (i32.const 2))) (i32.const -1))
        (br $clear)))
    (i32.store offset=2176 (local.get $paths) (i32.const 0))
    (local.set $node (i32.const -1))
    (local.set $next (i32.const 0))
    (local.set $i (call $ws (local.get $start) (local.get $end)))
    (block $fail
      (loop $step
        (block $close
          (block $after
            (block $key
              (block $value
                (br_table $value $key $after $close (local.get $state)))
              ;; a value
              (br_if $fail (i32.ge_u (local.get $i) (local.get $end)))
              (br_if $fail (i32.ge_u (local.get $n) (local.get $cap)))
              (local.set $e (i32.add (local.get $tape) (i32.shl (local.get $n) (i32.const 4))))
              (if (i32.eq (local.get $kind) (i32.const 2))
                (then (i32.store (local.get $top) (i32.add (i32.load (local.get $top)) (i32.const 256)))))
              ;; on a path: its entry (a second one: flagged)
              (local.set $p (local.get $next))
              (local.set $next (i32.const -1))
              (if (i32.ge_s (local.get $p) (i32.const 0))
                (then
                  (local.set $k (i32.add (local.get $paths) (i32.shl (local.get $p) (i32.const 2))))
                  (if (i32.ge_s (i32.load offset=2048 (local.get $k)) (i32.const 0))
                    (then (i32.store offset=2176 (local.get $paths) (i32.or (i32.load offset=2176 (local.get $paths)) (i32.const 2)))))
                  (i32.store offset=2048 (local.get $k) (local.get $n))))
              (local.set $c (i32.load8_u (local.get $i)))
              (if (i32.eq (local.get $c) (i32.const 0x22))
                (then
                  (local.set $i (call $string (local.get $i) (local.get $end) (local.get $e)))
                  (br_if $fail (i32.lt_s (local.get $i) (i32.const 0)))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (local.set $state (i32.const 2))
                  (br $step)))
              (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
                (then
                  (br_if $fail (i32.ge_u (local.get $depth) (i32.const 64)))
                  (local.set $kind (select (i32.const 1) (i32.const 2) (i32.eq (local.get $c) (i32.const 0x7b))))
                  (i32.store (local.get $e) (local.get $kind))
                  (i32.store offset=4 (local.get $e) (local.get $i))
                  (i32.store (i32.add (local.get $stack) (i32.shl (local.get $depth) (i32.const 2))) (local.get $e))
                  (local.set $top (local.get $e))
                  ;; an object on a path is that path's node (an array's elements are on none)
                  (local.set $node (select (local.get $p) (i32.const -1) (i32.eq (local.get $kind) (i32.const 1))))
                  (i32.store offset=2304 (i32.add (local.get $paths) (i32.shl (local.get $depth) (i32.const 2))) (local.get $node))
                  (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (local.set $i (call $ws (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
                  (br_if $fail (i32.ge_u (local.get $i) (local.get $end)))
                  ;; empty: closed at once
                  (if (i32.eq (i32.load8_u (local.get $i)) (i32.add (local.get $c) (i32.const 2)))
                    (then
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $state (i32.const 3))
                      (br $step)))
                  (local.set $state (select (i32.const 1) (i32.const 0) (i32.eq (local.get $kind) (i32.const 1))))
                  (br $step)))
              (if (i32.or (i32.eq (local.get $c) (i32.const 0x2d)) (call $digit (local.get $c)))
                (then (local.set $i (call $number (local.get $i) (local.get $end) (local.get $e))))
                (else
                  (i32.store offset=4 (local.get $e) (local.get $i))
                  (if (i32.and (i32.eq (local.get $c) (i32.const 0x74))
                        (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $end))
                                 (i32.eq (i32.load (local.get $i)) (i32.const 0x65757274))))
                    (then
                      (i32.store (local.get $e) (i32.const 5))
                      (local.set $i (i32.add (local.get $i) (i32.const 4))))
                    (else
                      (if (i32.and (i32.eq (local.get $c) (i32.const 0x66))
                            (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 5)) (local.get $end))
                                     (i32.and (i32.eq (i32.load (local.get $i)) (i32.const 0x736c6166))
                                              (i32.eq (i32.load8_u offset=4 (local.get $i)) (i32.const 0x65)))))
                        (then
                          (i32.store (local.get $e) (i32.const 6))
                          (local.set $i (i32.add (local.get $i) (i32.const 5))))
                        (else
                          (br_if $fail
                            (i32.eqz
                              (i32.and (i32.eq (local.get $c) (i32.const 0x6e))
                                (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $end))
                                         (i32.eq (i32.load (local.get $i)) (i32.const 0x6c6c756e))))))
                          (i32.store (local.get $e) (i32.const 7))
                          (local.set $i (i32.add (local.get $i) (i32.const 4)))))))
                  (i32.store offset=8 (local.get $e) (local.get $i))))
              (br_if $fail (i32.lt_s (local.get $i) (i32.const 0)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (local.set $state (i32.const 2))
              (br $step))
            ;; a key
            (br_if $fail (i32.ge_u (local.get $i) (local.get $end)))
            (br_if $fail (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x22)))
            (br_if $fail (i32.ge_u (local.get $n) (local.get $cap)))
            (i32.store (local.get $top) (i32.add (i32.load (local.get $top)) (i32.const 256)))
            (local.set $e (i32.add (local.get $tape) (i32.shl (local.get $n) (i32.const 4))))
            (local.set $i (call $string (local.get $i) (local.get $end) (local.get $e)))
            (br_if $fail (i32.lt_s (local.get $i) (i32.const 0)))
            ;; a plain key not too deep (fields are read near the top): the number of its name
            (if (i32.and (i32.eq (i32.load (local.get $e)) (i32.const 3)) (i32.le_u (local.get $depth) (i32.const 5)))
              (then
                (i32.store (local.get $e)
                  (i32.or (i32.const 3)
                    (i32.shl
                      (call $name (local.get $names) (i32.load offset=4 (local.get $e)) (i32.sub (i32.load offset=8 (local.get $e)) (i32.load offset=4 (local.get $e))))
                      (i32.const 8))))))
            ;; in an object on a path: the node its value is on, if any
            (if (i32.ge_s (local.get $node) (i32.const 0))
              (then
                (if (i32.and (i32.load (local.get $e)) (i32.const 0x10))
                  (then (i32.store offset=2176 (local.get $paths) (i32.or (i32.load offset=2176 (local.get $paths)) (i32.const 1)))))
                (local.set $k (i32.shr_u (i32.load (local.get $e)) (i32.const 8)))
                (if (local.get $k)
                  (then
                    (local.set $k (i32.load8_u (i32.add (local.get $paths) (i32.add (i32.shl (local.get $node) (i32.const 6)) (local.get $k)))))
                    (if (local.get $k) (then (local.set $next (local.get $k))))))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br_if $fail (i32.ge_u (local.get $i) (local.get $end)))
            (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a))
              (then
                (local.set $i (call $ws (local.get $i) (local.get $end)))
                (br_if $fail (i32.ge_u (local.get $i) (local.get $end)))
                (br_if $fail (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.lt_u (local.get $i) (local.get $end))
              (then
                (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
                  (then (local.set $i (call $ws (local.get $i) (local.get $end)))))))
            (local.set $state (i32.const 0))
            (br $step))
          ;; a value just ended
          (if (i32.lt_u (local.get $i) (local.get $end))
            (then
              (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
                (then (local.set $i (call $ws (local.get $i) (local.get $end)))))))
          (if (i32.eqz (local.get $depth))
            (then
              (br_if $fail (i32.ne (local.get $i) (local.get $end)))
              (return (local.get $n))))
          (br_if $fail (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.eq (local.get $c) (i32.const 0x2c))
            (then
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (if (i32.lt_u (local.get $i) (local.get $end))
                (then
                  (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
                    (then (local.set $i (call $ws (local.get $i) (local.get $end)))))))
              (local.set $state (select (i32.const 1) (i32.const 0) (i32.eq (local.get $kind) (i32.const 1))))
              (br $step)))
          (br_if $fail
            (i32.eqz
              (i32.or
                (i32.and (i32.eq (local.get $c) (i32.const 0x7d)) (i32.eq (local.get $kind) (i32.const 1)))
                (i32.and (i32.eq (local.get $c) (i32.const 0x5d)) (i32.eq (local.get $kind) (i32.const 2))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $state (i32.const 3))
          (br $step))
        ;; the container at the top closed; $i is past its bracket
        (i32.store offset=8 (local.get $top) (local.get $i))
        (i32.store offset=12 (local.get $top) (local.get $n))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (if (local.get $depth)
          (then
            (local.set $top (i32.load (i32.add (local.get $stack) (i32.shl (i32.sub (local.get $depth) (i32.const 1)) (i32.const 2)))))
            (local.set $kind (i32.and (i32.load (local.get $top)) (i32.const 15)))
            (local.set $node (i32.load offset=2304 (i32.add (local.get $paths) (i32.shl (i32.sub (local.get $depth) (i32.const 1)) (i32.const 2))))))
          (else
            (local.set $kind (i32.const 0))
            (local.set $node (i32.const -1))))
        (local.set $state (i32.const 2))
        (br $step)))
    (i32.const -1))
)
