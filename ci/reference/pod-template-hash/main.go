// Records what controller.ComputeHash needs to be reproduced outside Go: the shape of v1.PodTemplateSpec as
// go-spew walks it (per type: kind, Go type string, and for structs the fields in declaration order with their Go
// name, JSON name and type), and, with -vectors, spew's %#v print and the pod-template-hash of each template read
// from stdin (one JSON object per line), decoded through protobuf as kube-controller-manager's informers decode.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"reflect"
	"strings"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/dump"
	"k8s.io/apimachinery/pkg/util/rand"
)

type field struct {
	Name string `json:"name"`
	JSON string `json:"json"`
	Type string `json:"type"`
}

type typeInfo struct {
	Kind   string  `json:"kind"`
	Elem   string  `json:"elem,omitempty"`
	Key    string  `json:"key,omitempty"`
	Fields []field `json:"fields,omitempty"`
}

func walk(t reflect.Type, out map[string]typeInfo) {
	name := t.String()
	if _, ok := out[name]; ok {
		return
	}
	info := typeInfo{Kind: t.Kind().String()}
	out[name] = info
	switch t.Kind() {
	case reflect.Ptr, reflect.Slice, reflect.Array:
		info.Elem = t.Elem().String()
		walk(t.Elem(), out)
	case reflect.Map:
		info.Key = t.Key().String()
		info.Elem = t.Elem().String()
		walk(t.Key(), out)
		walk(t.Elem(), out)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			j := strings.Split(f.Tag.Get("json"), ",")[0]
			info.Fields = append(info.Fields, field{Name: f.Name, JSON: j, Type: f.Type.String()})
			walk(f.Type, out)
		}
	}
	out[name] = info
}

func main() {
	vectors := flag.Bool("vectors", false, "print spew and hash of the templates on stdin")
	flag.Parse()
	if !*vectors {
		out := map[string]typeInfo{}
		walk(reflect.TypeOf(v1.PodTemplateSpec{}), out)
		b, _ := json.MarshalIndent(out, "", " ")
		fmt.Println(string(b))
		return
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<22)
	for in.Scan() {
		var decoded v1.PodTemplateSpec
		if err := json.Unmarshal(in.Bytes(), &decoded); err != nil {
			panic(err)
		}
		wire, err := decoded.Marshal()
		if err != nil {
			panic(err)
		}
		var t v1.PodTemplateSpec
		if err := t.Unmarshal(wire); err != nil {
			panic(err)
		}
		printed := dump.ForHash(t)
		h := fnv.New32a()
		fmt.Fprintf(h, "%v", printed)
		hash := rand.SafeEncodeString(fmt.Sprint(h.Sum32()))
		h.Reset()
		fmt.Fprintf(h, "%v", printed)
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, uint32(1))
		h.Write(b)
		fmt.Printf("%s\t%s\t%s\n", hash, rand.SafeEncodeString(fmt.Sprint(h.Sum32())), printed)
	}
}
