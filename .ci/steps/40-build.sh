# Cross-build the command for every OS and architecture we ship.
. "$(dirname "$0")/../lib.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for os in linux windows darwin; do
  for arch in amd64 arm64; do
    echo "build $os/$arch"
    GOOS=$os GOARCH=$arch CGO_ENABLED=0 go build -trimpath -o "$out/whyrefused-$os-$arch" ./cmd/whyrefused
  done
done
