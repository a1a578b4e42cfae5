// Command etcd is the etcd server (go.etcd.io/etcd/server/v3, pinned in go.mod)
// for the local Kubernetes test control plane. Built by ../build.sh.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
