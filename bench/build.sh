# Sourced by bench/run.sh and bench/compare.sh: builds the release tree that the benchmarks
# measure, and the static helper programs. Needs ROOT and BUILD set; sets SUPERVISORD, VJCTL and
# TOOLS (the directory holding stamp and spew), or exits with the build log's tail.
echo "== building release into $BUILD" >&2
build_log=$(mktemp)
# CMAKE_CXX_FLAGS is set empty so that no flag left in an old cache changes what is measured.
if ! { cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVJ_TESTS=OFF -DCMAKE_CXX_FLAGS= >>"$build_log" 2>&1 &&
       cmake --build "$BUILD" -j2 >>"$build_log" 2>&1; }; then
    tail -40 "$build_log" >&2
    echo "bench: the build failed (full log: $build_log)" >&2
    exit 1
fi
rm -f "$build_log"
SUPERVISORD=$BUILD/supervisord/supervisord
VJCTL=$BUILD/vjctl/vjctl
[[ -x $SUPERVISORD && -x $VJCTL ]] || { echo "bench: $SUPERVISORD or $VJCTL missing" >&2; exit 1; }
TOOLS=$BUILD/bench-tools
mkdir -p "$TOOLS"
# static, so that exec does not pay for the dynamic loader (falls back to dynamic without libc.a)
for tool in stamp spew; do
    gcc -O2 -static -o "$TOOLS/$tool" "$ROOT/bench/$tool.c" 2>/dev/null || gcc -O2 -o "$TOOLS/$tool" "$ROOT/bench/$tool.c"
done
