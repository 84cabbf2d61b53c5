# gofmt, go vet and staticcheck for every OS we ship.
. "$(dirname "$0")/../lib.sh"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted"; exit 1
fi
for os in linux windows darwin; do
  echo "go vet GOOS=$os"
  GOOS=$os GOARCH=amd64 CGO_ENABLED=0 go vet ./...
done
for os in linux windows darwin; do
  echo "staticcheck GOOS=$os"
  GOOS=$os GOARCH=amd64 CGO_ENABLED=0 staticcheck ./...
done
