package io.kubetwin.apiserver.registry.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.features.FeatureGates;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The drops of pkg/api/pod/util.go, persistentvolumeclaim/util.go and persistentvolume/util.go, gate by gate. */
class GatedFieldsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** 1.33's defaults: every modelled gate off. */
    static final GatedFields OFF = GatedFields.of(FeatureGates.parse(List.of(), List.of("1.33")));

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode oldOrNull(String text) {
        return text == null || text.isEmpty() ? null : json(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            pod-level resources dropped | {'spec':{'resources':{'limits':{'cpu':'1'}}}} | | {'spec':{}}
            pod-level resources in use | {'spec':{'resources':{'limits':{'cpu':'2'}}}} | {'spec':{'resources':{'requests':{'cpu':'1'}}}} | {'spec':{'resources':{'limits':{'cpu':'2'}}}}
            empty old resources are no use | {'spec':{'resources':{'limits':{'cpu':'2'}}}} | {'spec':{'resources':{}}} | {'spec':{}}
            claims dropped | {'spec':{'resourceClaims':[{'name':'c'}],'containers':[{'name':'a','resources':{'claims':[{'name':'c'}]}}],'initContainers':[{'name':'i','resources':{'claims':[{'name':'c'}],'limits':{'cpu':'1'}}}]}} | | {'spec':{'containers':[{'name':'a','resources':{}}],'initContainers':[{'name':'i','resources':{'limits':{'cpu':'1'}}}]}}
            claims in use | {'spec':{'resourceClaims':[{'name':'c'}]},'status':{'resourceClaimStatuses':[{'name':'c'}]}} | {'spec':{'resourceClaims':[{'name':'d'}]}} | {'spec':{'resourceClaims':[{'name':'c'}]},'status':{'resourceClaimStatuses':[{'name':'c'}]}}
            claim statuses dropped | {'spec':{},'status':{'resourceClaimStatuses':[{'name':'c'}]}} | {'spec':{}} | {'spec':{},'status':{}}
            observed generations dropped | {'status':{'observedGeneration':2,'conditions':[{'type':'Ready','observedGeneration':2}]}} | {'status':{'observedGeneration':0}} | {'status':{'conditions':[{'type':'Ready'}]}}
            a condition's observed generation is in use | {'status':{'observedGeneration':2}} | {'status':{'conditions':[{'type':'Ready','observedGeneration':1}]}} | {'status':{'observedGeneration':2}}
            """)
    void podDrops(String name, String pod, String old, String expected) {
        ObjectNode object = json(pod);
        OFF.dropFromPod(object, oldOrNull(old));
        assertEquals(json(expected), object);
        ObjectNode untouched = json(pod);
        GatedFields.V134.dropFromPod(untouched, oldOrNull(old));
        assertEquals(json(pod), untouched, "nothing dropped with v1.34's defaults");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            claim spec | claimSpec | {'spec':{'volumeAttributesClassName':'gold','volumeMode':'Filesystem'}} | | {'spec':{'volumeMode':'Filesystem'}}
            claim spec in use | claimSpec | {'spec':{'volumeAttributesClassName':'silver'}} | {'spec':{'volumeAttributesClassName':'gold'}} | {'spec':{'volumeAttributesClassName':'silver'}}
            claim status | claimStatus | {'status':{'phase':'Bound','currentVolumeAttributesClassName':'gold','modifyVolumeStatus':{'status':'Pending'}}} | {'status':{'currentVolumeAttributesClassName':'gold'}} | {'status':{'phase':'Bound','currentVolumeAttributesClassName':'gold'}}
            volume spec | volumeSpec | {'spec':{'volumeAttributesClassName':'gold'}} | {'spec':{'volumeAttributesClassName':null}} | {'spec':{}}
            template | template | {'spec':{'template':{'spec':{'resources':{'limits':{'cpu':'1'}},'resourceClaims':[{'name':'c'}]}}}} | | {'spec':{'template':{'spec':{}}}}
            slice | slice | {'endpoints':[{'hints':{'forZones':[{'name':'a'}],'forNodes':[{'name':'n'}]}}]} | {'endpoints':[{'hints':{'forZones':[{'name':'a'}]}}]} | {'endpoints':[{'hints':{'forZones':[{'name':'a'}]}}]}
            slice in use | slice | {'endpoints':[{'hints':{'forNodes':[{'name':'n'}]}}]} | {'endpoints':[{},{'hints':{'forNodes':[{'name':'m'}]}}]} | {'endpoints':[{'hints':{'forNodes':[{'name':'n'}]}}]}
            """)
    void otherDrops(String name, String what, String object, String old, String expected) {
        ObjectNode o = json(object);
        JsonNode previous = oldOrNull(old);
        switch (what) {
            case "claimSpec" -> OFF.dropFromClaimSpec(o, previous);
            case "claimStatus" -> OFF.dropFromClaimStatus(o, previous);
            case "volumeSpec" -> OFF.dropFromVolumeSpec(o, previous);
            case "template" -> OFF.dropFromTemplate(o, previous, "spec.template");
            case "slice" -> OFF.dropFromEndpointSlice(o, previous);
            default -> throw new IllegalArgumentException(what);
        }
        assertEquals(json(expected), o);
    }
}
