// OTLP/HTTP protobuf: the subset of the official OpenTelemetry protos that a trace export needs,
// loaded with protobufjs, and the decode/encode helpers the OTLP route uses.
/*
 * The definitions below are copied from opentelemetry-proto (opentelemetry/proto/common/v1/common.proto,
 * resource/v1/resource.proto, trace/v1/trace.proto, collector/trace/v1/trace_service.proto) and from
 * google/rpc/status.proto, with comments and unused messages left out. Field numbers and types are
 * exactly as upstream: that is what makes the wire format match. AnyValue keeps its array, kvlist
 * and bytes members so that such attributes decode rather than fail. Left out: Resource.entity_refs,
 * the profiles/metrics/logs messages and google.rpc.Status.details (google.protobuf.Any); a field this
 * subset does not know is skipped on decode, as protobuf decoders do.
 * ResourceSpans field 1000 is the pre-1.0 instrumentation_library_spans (reserved upstream since it
 * was removed), kept so that exports from old SDKs still decode.
 */
import protobuf from "protobufjs";

const COMMON_PROTO = `
syntax = "proto3";
package opentelemetry.proto.common.v1;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}

message ArrayValue {
  repeated AnyValue values = 1;
}

message KeyValueList {
  repeated KeyValue values = 1;
}

message KeyValue {
  string key = 1;
  AnyValue value = 2;
}

message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}

message InstrumentationLibrary {
  string name = 1;
  string version = 2;
}
`;

const RESOURCE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.resource.v1;

message Resource {
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
`;

const TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.trace.v1;

message TracesData {
  repeated ResourceSpans resource_spans = 1;
}

message ResourceSpans {
  opentelemetry.proto.resource.v1.Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
  string schema_url = 3;
  repeated InstrumentationLibrarySpans instrumentation_library_spans = 1000;
}

message ScopeSpans {
  opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
  repeated Span spans = 2;
  string schema_url = 3;
}

message InstrumentationLibrarySpans {
  opentelemetry.proto.common.v1.InstrumentationLibrary instrumentation_library = 1;
  repeated Span spans = 2;
  string schema_url = 3;
}

message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;

  enum SpanKind {
    SPAN_KIND_UNSPECIFIED = 0;
    SPAN_KIND_INTERNAL = 1;
    SPAN_KIND_SERVER = 2;
    SPAN_KIND_CLIENT = 3;
    SPAN_KIND_PRODUCER = 4;
    SPAN_KIND_CONSUMER = 5;
  }
  SpanKind kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;

  message Event {
    fixed64 time_unix_nano = 1;
    string name = 2;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }
  repeated Event events = 11;
  uint32 dropped_events_count = 12;

  message Link {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5;
    fixed32 flags = 6;
  }
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}

message Status {
  reserved 1;
  string message = 2;
  enum StatusCode {
    STATUS_CODE_UNSET = 0;
    STATUS_CODE_OK = 1;
    STATUS_CODE_ERROR = 2;
  };
  StatusCode code = 3;
}
`;

const TRACE_SERVICE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.trace.v1;

message ExportTraceServiceRequest {
  repeated opentelemetry.proto.trace.v1.ResourceSpans resource_spans = 1;
}

message ExportTraceServiceResponse {
  ExportTracePartialSuccess partial_success = 1;
}

message ExportTracePartialSuccess {
  int64 rejected_spans = 1;
  string error_message = 2;
}
`;

const RPC_STATUS_PROTO = `
syntax = "proto3";
package google.rpc;

message Status {
  int32 code = 1;
  string message = 2;
}
`;

type Types = { request: protobuf.Type; response: protobuf.Type; status: protobuf.Type };
let types: Types | undefined;

function load(): Types {
  if (!types) {
    const root = new protobuf.Root();
    for (const source of [COMMON_PROTO, RESOURCE_PROTO, TRACE_PROTO, TRACE_SERVICE_PROTO, RPC_STATUS_PROTO]) protobuf.parse(source, root);
    root.resolveAll();
    types = {
      request: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
      response: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"),
      status: root.lookupType("google.rpc.Status"),
    };
  }
  return types;
}

/**
 * Decodes an ExportTraceServiceRequest into a plain object with OTLP/JSON's camelCase names:
 * ids stay bytes (Uint8Array), 64-bit integers become decimal strings, enums stay numbers, and a
 * oneof names its set member ("value": "intValue"). Throws on bytes that are not such a message.
 */
export function decodeExportTraceRequest(bytes: Uint8Array): Record<string, unknown> {
  const { request } = load();
  const message = request.decode(bytes);
  return request.toObject(message, { longs: String, oneofs: true, defaults: false, arrays: false });
}

export type ExportTraceResponse = { partialSuccess?: { rejectedSpans: number; errorMessage: string } };

export function encodeExportTraceResponse(response: ExportTraceResponse): Uint8Array {
  const { response: type } = load();
  return type.encode(type.fromObject(response)).finish();
}

/** google.rpc.Status, the body OTLP/HTTP asks for with a 4xx or 5xx answer. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  const { status } = load();
  return status.encode(status.fromObject({ code, message })).finish();
}

/** For tests and tools: the request type itself, to encode payloads by hand. */
export function exportTraceRequestType(): protobuf.Type {
  return load().request;
}

export function decodeExportTraceResponse(bytes: Uint8Array): Record<string, unknown> {
  const { response } = load();
  return response.toObject(response.decode(bytes), { longs: String, defaults: false });
}

export function decodeRpcStatus(bytes: Uint8Array): Record<string, unknown> {
  const { status } = load();
  return status.toObject(status.decode(bytes), { defaults: true });
}
