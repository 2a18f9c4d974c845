// Records the orders in which sigs.k8s.io/yaml JSONToYAML (go-yaml v2's sorter) writes the keys of a JSON object,
// as kube-apiserver v1.34.4 does for Accept: application/yaml. Reads one JSON array of keys per line on stdin, in the
// order the JSON object holds them; writes one line per set: the keys and every distinct order seen in RUNS
// conversions. go-yaml reads the object into a Go map and sorts its keys with a "natural" comparison that is not
// transitive for some mixes of digits and letters, so where it is not, the order depends on the map's (random)
// iteration order and more than one is seen.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

const runs = 2000

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var keys []string
		if err := json.Unmarshal([]byte(line), &keys); err != nil {
			panic(err)
		}
		var doc strings.Builder
		doc.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				doc.WriteString(",")
			}
			quoted, _ := json.Marshal(k)
			doc.Write(quoted)
			doc.WriteString(`:"x"`)
		}
		doc.WriteString("}")
		seen := map[string][]string{}
		for r := 0; r < runs; r++ {
			y, err := yaml.JSONToYAML([]byte(doc.String()))
			if err != nil {
				panic(err)
			}
			var ordered yamlv2.MapSlice
			if err := yamlv2.Unmarshal(y, &ordered); err != nil {
				panic(err)
			}
			var order []string
			for _, item := range ordered {
				order = append(order, fmt.Sprint(item.Key))
			}
			seen[strings.Join(order, "\x00")] = order
		}
		var orders [][]string
		for _, o := range seen {
			orders = append(orders, o)
		}
		sort.Slice(orders, func(i, j int) bool {
			return strings.Join(orders[i], "\x00") < strings.Join(orders[j], "\x00")
		})
		if err := out.Encode(map[string]any{"keys": keys, "orders": orders}); err != nil {
			panic(err)
		}
	}
}
