package io.kubetwin.apiserver.api;

import java.util.List;

/** go-yaml v2's order of mapping keys (sorter.go), for the string keys JSON has. */
final class GoYamlKeys {
    private GoYamlKeys() {}

    /** Go's sort.Sort (pdqsort) sorts up to this many elements by insertion sort alone. */
    private static final int INSERTION_SORT_MAX = 12;

    /**
     * sort.Sort with keyList.Less, over the keys in the order of the JSON. Less is not transitive for some mixes of
     * digits and letters ("2" &lt; "10" &lt; "1a" &lt; "01" &lt; "2", but also "v1beta2", "v10", "v2"), and then Go's
     * result depends on the order it is given: go-yaml sorts the keys of a Go map in its random iteration order, so
     * the reference itself answers such a set in several orders. A small map (up to eight keys) iterates in a
     * rotation of its insertion order, which is the JSON's; the unrotated one is what the fake gives, with Go's own
     * algorithm for twelve keys or fewer (insertion sort), so its answer is always one the reference gives (golden
     * goyaml-keys, recorded from go-yaml). Larger sets are sorted by any sort, which gives Go's order when Less is
     * consistent on them, and by insertion sort when Java's sort finds it is not (pdqsort not emulated).
     */
    static void sort(List<String> keys) {
        if (keys.size() > INSERTION_SORT_MAX) {
            try {
                keys.sort((a, b) -> less(a, b) ? -1 : less(b, a) ? 1 : 0);
                return;
            } catch (IllegalArgumentException notTransitive) {
                // fall through to insertion sort
            }
        }
        for (int i = 1; i < keys.size(); i++) {
            for (int j = i; j > 0 && less(keys.get(j), keys.get(j - 1)); j--) {
                keys.set(j, keys.set(j - 1, keys.get(j)));
            }
        }
    }

    /** sorter.go keyList.Less for two string keys. */
    static boolean less(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return ar[i] < br[i];
            }
            if (al || bl) {
                return bl;
            }
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.length < br.length;
    }
}
