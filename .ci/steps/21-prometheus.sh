# Tools the --format prometheus test needs: a real node exporter reads the
# textfile directory whyrefused writes, and a real Prometheus scrapes it
# (both started by the test on loopback ports, with temporary storage).
. "$(dirname "$0")/../lib.sh"
need prometheus prometheus
need prometheus-node-exporter prometheus-node-exporter
