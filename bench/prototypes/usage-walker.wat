;; THROWAWAY PROTOTYPE (issue 16, not used by burntop): a WebAssembly walker that reads a Claude
;; Code transcript line's top-level "type" and message.usage integers straight from the bytes,
;; tracking nesting, with no object made. Any line it does not fully understand (an escape in a
;; key, a float or sign in a usage value, a raw newline in a string, nesting deeper than 63) is
;; flagged for JSON.parse. Keys are matched by a 32-bit FNV-1a hash (a real version compares bytes).
;; Per line it writes 6 i32 to $out: flags (1 assistant, 2 fallback), input, output, cache read,
;; cache creation, and the line's end offset.
(module
  (memory (export "memory") 2048)
  (global $H_TYPE (mut i32) (i32.const 0))
  (global $H_MESSAGE (mut i32) (i32.const 0))
  (global $H_USAGE (mut i32) (i32.const 0))
  (global $H_IN (mut i32) (i32.const 0))
  (global $H_OUT (mut i32) (i32.const 0))
  (global $H_CR (mut i32) (i32.const 0))
  (global $H_CC (mut i32) (i32.const 0))
  (global $H_ASSISTANT (mut i32) (i32.const 0))
  (func (export "keys") (param i32 i32 i32 i32 i32 i32 i32 i32)
    (global.set $H_TYPE (local.get 0)) (global.set $H_MESSAGE (local.get 1)) (global.set $H_USAGE (local.get 2))
    (global.set $H_IN (local.get 3)) (global.set $H_OUT (local.get 4)) (global.set $H_CR (local.get 5))
    (global.set $H_CC (local.get 6)) (global.set $H_ASSISTANT (local.get 7)))

  ;; FNV-1a of the string starting after a quote at $p; returns the hash, sets $end_p (global) past the closing quote.
  ;; -1 end means an escape or newline: not understood.
  (global $after (mut i32) (i32.const 0))
  (func $hashString (param $p i32) (result i32)
    (local $h i32) (local $c i32)
    (local.set $h (i32.const 0x811c9dc5))
    (block $out
      (loop $next
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (i32.const 0x22))
          (then (global.set $after (i32.add (local.get $p) (i32.const 1))) (br $out)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x5c)) (i32.eq (local.get $c) (i32.const 0x0a)))
          (then (global.set $after (i32.const -1)) (br $out)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $c)) (i32.const 0x01000193)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $h))

  ;; Past a string value starting after its quote, 16 bytes at a time; -1 at a raw newline.
  (func $skipString (param $p i32) (result i32)
    (local $m i32) (local $v v128)
    (loop $next
      (local.set $v (v128.load (local.get $p)))
      (local.set $m (i8x16.bitmask (v128.or (v128.or
        (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))
        (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c))))
        (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x0a))))))
      (if (i32.eqz (local.get $m))
        (then (local.set $p (i32.add (local.get $p) (i32.const 16))) (br $next)))
      (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $m))))
      (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x5c))
        (then (local.set $p (i32.add (local.get $p) (i32.const 2))) (br $next))))
    (if (result i32) (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x0a))
      (then (global.set $after (local.get $p)) (i32.const -1))
      (else (i32.add (local.get $p) (i32.const 1)))))

  (func (export "walk") (param $p i32) (param $end i32) (param $out i32) (result i32)
    (local $c i32) (local $depth i32) (local $obj i64) (local $key i32)
    (local $k1 i32) (local $k2 i32) (local $k3 i32) (local $flags i32) (local $lines i32)
    (local $in i32) (local $o i32) (local $cr i32) (local $cc i32) (local $n i32) (local $h i32)
    (local.set $key (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (block $handled
          ;; end of line: write the record, start again
          (if (i32.eq (local.get $c) (i32.const 0x0a)) (then
            (i32.store (local.get $out) (local.get $flags))
            (i32.store offset=4 (local.get $out) (local.get $in))
            (i32.store offset=8 (local.get $out) (local.get $o))
            (i32.store offset=12 (local.get $out) (local.get $cr))
            (i32.store offset=16 (local.get $out) (local.get $cc))
            (i32.store offset=20 (local.get $out) (local.get $p))
            (local.set $out (i32.add (local.get $out) (i32.const 24)))
            (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
            (local.set $flags (i32.const 0)) (local.set $depth (i32.const 0)) (local.set $obj (i64.const 0))
            (local.set $key (i32.const 0)) (local.set $k1 (i32.const 0)) (local.set $k2 (i32.const 0)) (local.set $k3 (i32.const 0))
            (local.set $in (i32.const 0)) (local.set $o (i32.const 0)) (local.set $cr (i32.const 0)) (local.set $cc (i32.const 0))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $handled)))
          ;; a line already given up: straight to its newline
          (if (i32.and (local.get $flags) (i32.const 2)) (then
            (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $handled)))
          (if (i32.eq (local.get $c) (i32.const 0x22)) (then
            (if (local.get $key)
              (then
                (local.set $h (call $hashString (i32.add (local.get $p) (i32.const 1))))
                (if (i32.eq (global.get $after) (i32.const -1))
                  (then
                    (local.set $flags (i32.or (local.get $flags) (i32.const 2)))
                    (local.set $p (i32.add (local.get $p) (i32.const 1))))
                  (else
                    (local.set $p (global.get $after))
                    (local.set $key (i32.const 0))
                    (if (i32.eq (local.get $depth) (i32.const 1)) (then (local.set $k1 (local.get $h))))
                    (if (i32.eq (local.get $depth) (i32.const 2)) (then (local.set $k2 (local.get $h))))
                    (if (i32.eq (local.get $depth) (i32.const 3)) (then (local.set $k3 (local.get $h)))))))
              (else
                (if (i32.and (i32.eq (local.get $depth) (i32.const 1)) (i32.eq (local.get $k1) (global.get $H_TYPE)))
                  (then
                    (local.set $h (call $hashString (i32.add (local.get $p) (i32.const 1))))
                    (if (i32.eq (global.get $after) (i32.const -1))
                      (then
                        (local.set $flags (i32.or (local.get $flags) (i32.const 2)))
                        (local.set $p (i32.add (local.get $p) (i32.const 1))))
                      (else
                        (local.set $p (global.get $after))
                        ;; the last top-level "type" wins, as in JSON.parse
                        (local.set $flags (i32.or (i32.and (local.get $flags) (i32.const -2)) (i32.eq (local.get $h) (global.get $H_ASSISTANT)))))))
                  (else
                    (local.set $h (call $skipString (i32.add (local.get $p) (i32.const 1))))
                    (if (i32.eq (local.get $h) (i32.const -1))
                      (then
                        ;; a raw newline inside a string: malformed; resume at that newline
                        (local.set $flags (i32.or (local.get $flags) (i32.const 2)))
                        (local.set $p (global.get $after)))
                      (else (local.set $p (local.get $h))))))))
            (br $handled)))
          (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b))) (then
            (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
            (if (i32.gt_u (local.get $depth) (i32.const 63)) (then (local.set $flags (i32.or (local.get $flags) (i32.const 2)))))
            (if (i32.eq (local.get $c) (i32.const 0x7b))
              (then (local.set $obj (i64.or (local.get $obj) (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $depth))))) (local.set $key (i32.const 1)))
              (else (local.set $obj (i64.and (local.get $obj) (i64.xor (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $depth))) (i64.const -1)))) (local.set $key (i32.const 0))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $handled)))
          (if (i32.or (i32.eq (local.get $c) (i32.const 0x7d)) (i32.eq (local.get $c) (i32.const 0x5d))) (then
            (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
            (local.set $key (i32.const 0))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $handled)))
          (if (i32.eq (local.get $c) (i32.const 0x2c)) (then
            (local.set $key (i32.wrap_i64 (i64.and (i64.shr_u (local.get $obj) (i64.extend_i32_u (local.get $depth))) (i64.const 1))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $handled)))
          ;; a number: read when it is message.usage.<one of the four>, else skipped
          (if (i32.or (i32.eq (local.get $c) (i32.const 0x2d)) (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))) (then
            (if (i32.and (i32.and (i32.eq (local.get $depth) (i32.const 3)) (i32.eq (local.get $k1) (global.get $H_MESSAGE))) (i32.eq (local.get $k2) (global.get $H_USAGE)))
              (then
                (local.set $n (i32.const 0))
                (loop $digit
                  (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)) (then
                    (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.sub (local.get $c) (i32.const 0x30))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (local.set $c (i32.load8_u (local.get $p)))
                    (br $digit))))
                ;; a sign, fraction or exponent: JSON.parse decides
                (if (i32.or (i32.or (i32.eq (local.get $c) (i32.const 0x2e)) (i32.eq (local.get $c) (i32.const 0x2d)))
                            (i32.or (i32.eq (local.get $c) (i32.const 0x65)) (i32.eq (local.get $c) (i32.const 0x45))))
                  (then (local.set $flags (i32.or (local.get $flags) (i32.const 2)))))
                (if (i32.eq (local.get $k3) (global.get $H_IN)) (then (local.set $in (local.get $n))))
                (if (i32.eq (local.get $k3) (global.get $H_OUT)) (then (local.set $o (local.get $n))))
                (if (i32.eq (local.get $k3) (global.get $H_CR)) (then (local.set $cr (local.get $n))))
                (if (i32.eq (local.get $k3) (global.get $H_CC)) (then (local.set $cc (local.get $n)))))
              (else
                (loop $skip
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $c (i32.load8_u (local.get $p)))
                  (br_if $skip (i32.or (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))
                    (i32.or (i32.or (i32.eq (local.get $c) (i32.const 0x2e)) (i32.eq (local.get $c) (i32.const 0x2d)))
                      (i32.or (i32.eq (local.get $c) (i32.const 0x65)) (i32.or (i32.eq (local.get $c) (i32.const 0x45)) (i32.eq (local.get $c) (i32.const 0x2b))))))))))
            (br $handled)))
          ;; whitespace, ':', true/false/null letters
          (local.set $p (i32.add (local.get $p) (i32.const 1))))
        (br $next)))
    (local.get $lines))

)
