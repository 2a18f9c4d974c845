package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.kinds.Capabilities;
import io.kubetwin.apiserver.registry.kinds.PodStrategy;
import io.kubetwin.apiserver.registry.patch.MergePatch;
import io.kubetwin.apiserver.registry.patch.PatchException;
import io.kubetwin.apiserver.registry.patch.StrategicMergePatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategicMergePatchTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String POD = "{'metadata':{'name':'p','annotations':{'keep':'1'}},'spec':{'containers':["
            + "{'name':'a','image':'nginx:1','ports':[{'containerPort':80}],'env':[{'name':'X','value':'1'}]},"
            + "{'name':'b','image':'busybox'}],'volumes':[{'name':'v','emptyDir':{}}]}}";

    static ObjectNode json(String s) throws Exception {
        return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            kubectl apply image change | {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],'containers':[{'image':'nginx:2','name':'a'}]}} | {'metadata':{'name':'p','annotations':{'keep':'1','kubectl.kubernetes.io/last-applied-configuration':'{}'}},'spec':{'containers':[{'name':'a','image':'nginx:2','ports':[{'containerPort':80}],'env':[{'name':'X','value':'1'}]},{'name':'b','image':'busybox'}],'volumes':[{'name':'v','emptyDir':{}}]}}
            delete a container | {'spec':{'containers':[{'name':'b','$patch':'delete'}]}} | {'metadata':{'name':'p','annotations':{'keep':'1'}},'spec':{'containers':[{'name':'a','image':'nginx:1','ports':[{'containerPort':80}],'env':[{'name':'X','value':'1'}]}],'volumes':[{'name':'v','emptyDir':{}}]}}
            add port and env by key (new elements first, as the reference orders them) | {'spec':{'containers':[{'name':'a','ports':[{'containerPort':443}],'env':[{'name':'X','value':'2'}]}]}} | {'metadata':{'name':'p','annotations':{'keep':'1'}},'spec':{'containers':[{'name':'a','image':'nginx:1','ports':[{'containerPort':443},{'containerPort':80}],'env':[{'name':'X','value':'2'}]},{'name':'b','image':'busybox'}],'volumes':[{'name':'v','emptyDir':{}}]}}
            reorder containers | {'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}} | {'metadata':{'name':'p','annotations':{'keep':'1'}},'spec':{'containers':[{'name':'b','image':'busybox'},{'name':'a','image':'nginx:1','ports':[{'containerPort':80}],'env':[{'name':'X','value':'1'}]}],'volumes':[{'name':'v','emptyDir':{}}]}}
            replace list | {'spec':{'containers':[{'$patch':'replace'},{'name':'c','image':'c'}]}} | {'metadata':{'name':'p','annotations':{'keep':'1'}},'spec':{'containers':[{'name':'c','image':'c'}],'volumes':[{'name':'v','emptyDir':{}}]}}
            retainKeys on volume | {'spec':{'volumes':[{'name':'v','$retainKeys':['name','hostPath'],'hostPath':{'path':'/x'}}]}} | {'metadata':{'name':'p','annotations':{'keep':'1'}},'spec':{'containers':[{'name':'a','image':'nginx:1','ports':[{'containerPort':80}],'env':[{'name':'X','value':'1'}]},{'name':'b','image':'busybox'}],'volumes':[{'name':'v','hostPath':{'path':'/x'}}]}}
            null deletes | {'metadata':{'annotations':{'keep':null}}} | {'metadata':{'name':'p','annotations':{}},'spec':{'containers':[{'name':'a','image':'nginx:1','ports':[{'containerPort':80}],'env':[{'name':'X','value':'1'}]},{'name':'b','image':'busybox'}],'volumes':[{'name':'v','emptyDir':{}}]}}
            """)
    void appliesPodPatches(String what, String patch, String expected) throws Exception {
        assertEquals(
                json(expected),
                StrategicMergePatch.apply(
                        json(POD), json(patch), new PodStrategy(Capabilities.defaults()).mergeKeys()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {'spec':{'containers':[{'name':'a','$patch':'bogus'}]}} | unknown patch type: bogus in map: map[$patch:bogus name:a]
            """)
    void unknownDirective(String patch, String message) throws Exception {
        PatchException e = assertThrows(
                PatchException.class,
                () -> StrategicMergePatch.apply(
                        json(POD), json(patch), new PodStrategy(Capabilities.defaults()).mergeKeys()));
        assertEquals(message, e.getMessage());
        assertEquals(PatchException.Kind.INTERNAL, e.kind());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {'a':1,'b':{'c':2}} | {'b':{'c':null,'d':3},'e':[1]} | {'a':1,'b':{'d':3},'e':[1]}
            {'a':[1,2]} | {'a':[3]} | {'a':[3]}
            """)
    void mergePatchFollowsRfc7386(String target, String patch, String expected) throws Exception {
        assertEquals(json(expected), MergePatch.apply(json(target), json(patch)));
    }
}
