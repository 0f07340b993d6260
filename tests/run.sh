#!/bin/sh
# Runs each test program, then (unless PYTHON_TESTS=no) the Python
# binding's pytest suite, and closes with one summary line over all of
# them: "N passed, M failed" counts test cases (cmocka's per-program counts
# and pytest's), so CI reads the whole suite's result from the last line.
#
# Environment: BUILD (the build directory under test; its khaldun is the
# CLI the tests run), PYTHON (the interpreter with cffi and pytest),
# PYTHON_TESTS (yes or no).
passed=0; failed=0; broken=""
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out"
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ $rc -ne 0 ] && [ -z "$f" ]; then failed=$((failed + 1)); broken="$broken $t"; fi
done

# pytest's last line: "=== 9 passed, 1 failed in 0.52s ===" (either count
# may be missing; errors count as failures).
if [ "${PYTHON_TESTS:-yes}" = yes ]; then
  root=$(cd "$(dirname "$0")/.." && pwd)
  out=$(cd "$root" && KHALDUN="$root/${BUILD:-build}/khaldun" PYTHONPATH="$root/python" \
        "${PYTHON:-python3}" -m pytest -q -p no:cacheprovider python/tests 2>&1); rc=$?
  printf '%s\n' "$out"
  last=$(printf '%s\n' "$out" | tail -1)
  p=$(echo "$last" | sed -n 's/.* \([0-9][0-9]*\) passed.*/\1/p; s/^\([0-9][0-9]*\) passed.*/\1/p' | head -1)
  f=$(echo "$last" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p; s/^\([0-9][0-9]*\) failed.*/\1/p' | head -1)
  e=$(echo "$last" | sed -n 's/.* \([0-9][0-9]*\) error.*/\1/p' | head -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  if [ $rc -ne 0 ] && [ -z "$f$e" ]; then failed=$((failed + 1)); broken="$broken pytest"; fi
  [ -z "$p" ] && [ $rc -eq 0 ] && { failed=$((failed + 1)); broken="$broken pytest(no tests)"; }
fi

[ -n "$broken" ] && echo "crashed or failed without a count:$broken"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
