# bench/phoenix.sh -- sourced by the benchmarks: the --dict options that
# load the Phoenix dictionaries as PETRARCH-2 ships them, from the peers'
# folder $PEERS (one list, so every benchmark codes with the same set).
PHOENIX_DIR="$PEERS/petrarch2/petrarch2/data/dictionaries"
PHOENIX_DICTS="--dict verbs:$PHOENIX_DIR/CAMEO.2.0.txt \
  --dict actors:$PHOENIX_DIR/Phoenix.Countries.actors.txt \
  --dict actors:$PHOENIX_DIR/Phoenix.International.actors.txt \
  --dict actors:$PHOENIX_DIR/Phoenix.MilNonState.actors.txt \
  --dict agents:$PHOENIX_DIR/Phoenix.agents.txt \
  --dict discards:$PHOENIX_DIR/Phoenix.discards.txt \
  --dict issues:$PHOENIX_DIR/Phoenix.IssueCoding.txt"
# Whether they are there to load.
phoenix_available() { [ -n "$PEERS" ] && [ -f "$PHOENIX_DIR/CAMEO.2.0.txt" ]; }
