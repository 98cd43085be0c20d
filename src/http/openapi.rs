//! `GET /openapi.json`: an OpenAPI 3 description of every route, written by hand next to the
//! code it describes (a test checks that each route is described and each `$ref` resolves).

use serde_json::{json, Value};

use super::error::ERROR_CODES;

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn array_param(name: &str, description: &str) -> Value {
    json!({
        "name": name, "in": "query", "required": false, "description": description,
        "style": "form", "explode": true,
        "schema": {"type": "array", "items": {"type": "string"}}
    })
}

/// The OpenAPI document.
pub fn document() -> Value {
    let codes: Vec<Value> = ERROR_CODES.iter().map(|(code, _, _)| json!(code)).collect();
    let search_params = json!([
        {"name": "q", "in": "query", "required": false, "description": "Query: words, \"exact phrase\", -exclusion, a OR b (at most 1,000 characters). Empty lists every document that passes the filters.", "schema": {"type": "string", "maxLength": 1000}},
        array_param("country", "Country or region (国家/地区); repeat for any of several."),
        array_param("organization", "International organisation; repeatable."),
        array_param("coop_type", "Cooperation type (合作类型); repeatable."),
        array_param("drug_type", "Drug type (毒品种类); repeatable."),
        array_param("doc_type", "policy or case; repeatable."),
        {"name": "year_from", "in": "query", "required": false, "description": "First year, inclusive.", "schema": {"type": "integer"}},
        {"name": "year_to", "in": "query", "required": false, "description": "Last year, inclusive.", "schema": {"type": "integer"}},
        {"name": "sort", "in": "query", "required": false, "schema": {"type": "string", "enum": ["relevance", "year_desc", "year_asc"], "default": "relevance"}},
        {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 100, "default": 10}},
        {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0}},
        {"name": "explain", "in": "query", "required": false, "description": "Add matched_terms to each hit.", "schema": {"type": "boolean", "default": false}},
        {"name": "snippet_chars", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 20, "maximum": 2000, "default": 120}},
        {"name": "facets", "in": "query", "required": false, "description": "Count facets (false leaves `facets` empty and answers faster).", "schema": {"type": "boolean", "default": true}}
    ]);
    let errors = json!({
        "400": error_response("invalid_parameter, unknown_parameter, invalid_json or query_too_long"),
        "404": error_response("not_found"),
        "503": error_response("overloaded (with Retry-After), not_ready or timeout"),
        "500": error_response("internal")
    });
    let with_errors = |ok: Value| -> Value {
        let mut responses = errors.clone();
        if let (Some(map), Value::Object(ok)) = (responses.as_object_mut(), ok) {
            for (k, v) in ok {
                map.insert(k, v);
            }
        }
        responses
    };
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "jindu — 禁毒国际合作文献检索",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Chinese full-text search over international drug-control cooperation documents: keyword search with jieba segmentation, disjunctive facets, highlighted snippets. Every error answers the Error envelope."
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search with query-string parameters",
                    "operationId": "searchGet",
                    "parameters": search_params,
                    "responses": with_errors(json!({"200": {"description": "The result", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}}}))
                },
                "post": {
                    "summary": "Search with a JSON body",
                    "operationId": "searchPost",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchBody"}}}},
                    "responses": with_errors(json!({
                        "200": {"description": "The result", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
                        "413": error_response("payload_too_large"),
                        "415": error_response("unsupported_media_type")
                    }))
                }
            },
            "/api/documents": {
                "post": {
                    "summary": "Insert or replace documents (one object, an array, or NDJSON); the whole request or nothing",
                    "operationId": "postDocuments",
                    "security": [{"bearer": []}],
                    "requestBody": {"required": true, "content": {
                        "application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/DocumentInput"}, {"type": "array", "items": {"$ref": "#/components/schemas/DocumentInput"}}]}},
                        "application/x-ndjson": {"schema": {"type": "string", "description": "one DocumentInput per line"}}
                    }},
                    "responses": with_errors(json!({
                        "200": {"description": "Journaled, committed and searchable", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WriteOutcome"}}}},
                        "401": error_response("unauthorized"),
                        "403": error_response("forbidden or writes_disabled"),
                        "413": error_response("payload_too_large or too_many_documents"),
                        "415": error_response("unsupported_media_type")
                    }))
                }
            },
            "/api/documents/{id}/similar": {
                "get": {
                    "summary": "The documents most similar to this one by content; takes the search filters, limit and offset",
                    "operationId": "similarDocuments",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": with_errors(json!({
                        "200": {"description": "Similar documents", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}}
                    }))
                }
            },
            "/api/documents/{id}": {
                "put": {
                    "summary": "Insert or replace the document with this id",
                    "operationId": "putDocument",
                    "security": [{"bearer": []}],
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocumentInput"}}}},
                    "responses": with_errors(json!({
                        "200": {"description": "Journaled, committed and searchable", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WriteOutcome"}}}},
                        "401": error_response("unauthorized"),
                        "403": error_response("forbidden or writes_disabled"),
                        "413": error_response("payload_too_large")
                    }))
                },
                "delete": {
                    "summary": "Remove the document with this id",
                    "operationId": "deleteDocument",
                    "security": [{"bearer": []}],
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": with_errors(json!({
                        "200": {"description": "Journaled, committed and gone from searches", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WriteOutcome"}}}},
                        "401": error_response("unauthorized"),
                        "403": error_response("forbidden or writes_disabled")
                    }))
                },
                "get": {
                    "summary": "One stored document; with q, the matched ranges over its full title and body",
                    "operationId": "getDocument",
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "description": "Document id, percent-encoded as one path segment.", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 1000}}
                    ],
                    "responses": with_errors(json!({
                        "200": {"description": "The document", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}}},
                        "404": error_response("document_not_found or not_found")
                    }))
                }
            },
            "/api/facets": {
                "get": {
                    "summary": "Every facet value with its count over the whole index",
                    "operationId": "getFacets",
                    "responses": with_errors(json!({"200": {"description": "Facet counts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Facets"}}}}}))
                }
            },
            "/api/analyze": {
                "get": {
                    "summary": "The tokens of a text (index side, query side or bigrams)",
                    "operationId": "analyze",
                    "parameters": [
                        {"name": "text", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 10000}},
                        {"name": "side", "in": "query", "required": false, "schema": {"type": "string", "enum": ["index", "query", "grams"], "default": "index"}}
                    ],
                    "responses": with_errors(json!({"200": {"description": "Tokens", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Analysis"}}}}}))
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness",
                    "operationId": "health",
                    "responses": {"200": {"description": "Alive", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}}}}}}
                }
            },
            "/readyz": {
                "get": {
                    "summary": "Readiness: 503 not_ready while the index is loading",
                    "operationId": "ready",
                    "responses": {
                        "200": {"description": "Ready", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ready"]}, "documents": {"type": "integer"}, "generation": {"type": "string"}}}}}},
                        "503": error_response("not_ready")
                    }
                }
            },
            "/metrics": {
                "get": {
                    "summary": "Prometheus metrics: requests by route and status, latency histograms, documents, index size, writes",
                    "operationId": "metrics",
                    "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}}
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "OpenAPI 3 document", "content": {"application/json": {"schema": {"type": "object"}}}}}
                }
            }
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "The write key (api_key / JINDU_API_KEY); with a read key configured, reads need it or the write key."}
            },
            "schemas": {
                "DocumentInput": {
                    "type": "object",
                    "required": ["title", "body", "doc_type"],
                    "additionalProperties": false,
                    "properties": {
                        "id": {"type": "string", "maxLength": 256, "description": "Printable; no slash, `..`, NUL or control characters. Taken from the path on PUT."},
                        "title": {"type": "string", "maxLength": 1000}, "body": {"type": "string"},
                        "doc_type": {"type": "string", "enum": ["policy", "case"]},
                        "countries": {"type": "array", "items": {"type": "string"}, "nullable": true},
                        "organizations": {"type": "array", "items": {"type": "string"}, "nullable": true},
                        "coop_types": {"type": "array", "items": {"type": "string"}, "nullable": true},
                        "drug_types": {"type": "array", "items": {"type": "string"}, "nullable": true},
                        "year": {"type": "integer", "nullable": true}, "date": {"type": "string", "nullable": true},
                        "source": {"type": "string", "nullable": true}, "url": {"type": "string", "nullable": true}
                    }
                },
                "WriteOutcome": {
                    "type": "object",
                    "properties": {
                        "results": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "result": {"type": "string", "enum": ["created", "updated", "deleted", "not_found"]}}}},
                        "journal_seq": {"type": "integer"}
                    }
                },
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "enum": codes},
                        "message": {"type": "string"},
                        "parameter": {"type": "string", "description": "The parameter at fault, when one is."},
                        "errors": {"type": "array", "description": "For refused writes: each problem.", "items": {"type": "object", "properties": {"index": {"type": "integer"}, "id": {"type": "string", "nullable": true}, "field": {"type": "string", "nullable": true}, "message": {"type": "string"}}}}
                    }
                },
                "Range": {"type": "object", "required": ["start", "end"], "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}},
                "FacetValue": {"type": "object", "required": ["value", "count"], "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}},
                "YearValue": {"type": "object", "required": ["value", "count"], "properties": {"value": {"type": "integer"}, "count": {"type": "integer"}}},
                "Facets": {
                    "type": "object",
                    "properties": {
                        "country": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
                        "year": {"type": "array", "items": {"$ref": "#/components/schemas/YearValue"}},
                        "coop_type": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
                        "doc_type": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
                        "organization": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
                        "drug_type": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                    }
                },
                "Derived": {
                    "type": "object",
                    "description": "Values the tagger derived from the text (fields absent when given in metadata).",
                    "properties": {
                        "countries": {"type": "array", "items": {"type": "string"}},
                        "organizations": {"type": "array", "items": {"type": "string"}},
                        "coop_types": {"type": "array", "items": {"type": "string"}},
                        "drug_types": {"type": "array", "items": {"type": "string"}},
                        "year": {"type": "integer"}
                    }
                },
                "Hit": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"},
                        "title_snippet": {"type": "string", "description": "HTML with <mark>"},
                        "doc_type": {"type": "string", "enum": ["policy", "case"]},
                        "year": {"type": "integer", "nullable": true}, "date": {"type": "string", "nullable": true},
                        "countries": {"type": "array", "items": {"type": "string"}},
                        "organizations": {"type": "array", "items": {"type": "string"}},
                        "coop_types": {"type": "array", "items": {"type": "string"}},
                        "drug_types": {"type": "array", "items": {"type": "string"}},
                        "source": {"type": "string", "nullable": true}, "url": {"type": "string", "nullable": true},
                        "score": {"type": "number"},
                        "snippet": {"type": "string", "description": "HTML with <mark>, escaped elsewhere"},
                        "snippet_text": {"type": "string"},
                        "highlights": {"type": "array", "items": {"$ref": "#/components/schemas/Range"}},
                        "derived": {"$ref": "#/components/schemas/Derived"}
                    }
                },
                "SearchResult": {
                    "type": "object",
                    "required": ["query", "total", "took_ms", "limit", "offset", "hits", "facets"],
                    "properties": {
                        "query": {"type": "string"}, "total": {"type": "integer"}, "took_ms": {"type": "number"},
                        "limit": {"type": "integer"}, "offset": {"type": "integer"},
                        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                        "facets": {"$ref": "#/components/schemas/Facets"},
                        "relaxed": {"type": "boolean"},
                        "dropped_words": {"type": "array", "items": {"type": "string"}}
                    }
                },
                "SearchBody": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "q": {"type": "string"},
                        "filters": {
                            "type": "object", "additionalProperties": false,
                            "properties": {
                                "country": {"type": "array", "items": {"type": "string"}},
                                "organization": {"type": "array", "items": {"type": "string"}},
                                "coop_type": {"type": "array", "items": {"type": "string"}},
                                "drug_type": {"type": "array", "items": {"type": "string"}},
                                "doc_type": {"type": "array", "items": {"type": "string"}},
                                "year": {"type": "object", "additionalProperties": false, "properties": {"from": {"type": "integer"}, "to": {"type": "integer"}}}
                            }
                        },
                        "sort": {"type": "string", "enum": ["relevance", "year_desc", "year_asc"]},
                        "limit": {"type": "integer", "minimum": 0, "maximum": 100},
                        "offset": {"type": "integer", "minimum": 0, "maximum": 10000},
                        "explain": {"type": "boolean"},
                        "facets": {"type": "boolean"},
                        "snippet_chars": {"type": "integer", "minimum": 20, "maximum": 2000}
                    }
                },
                "Document": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"}, "body": {"type": "string"},
                        "doc_type": {"type": "string"}, "year": {"type": "integer", "nullable": true},
                        "date": {"type": "string", "nullable": true},
                        "countries": {"type": "array", "items": {"type": "string"}},
                        "organizations": {"type": "array", "items": {"type": "string"}},
                        "coop_types": {"type": "array", "items": {"type": "string"}},
                        "drug_types": {"type": "array", "items": {"type": "string"}},
                        "source": {"type": "string", "nullable": true}, "url": {"type": "string", "nullable": true},
                        "derived": {"$ref": "#/components/schemas/Derived"},
                        "title_highlights": {"type": "array", "items": {"$ref": "#/components/schemas/Range"}},
                        "body_highlights": {"type": "array", "items": {"$ref": "#/components/schemas/Range"}}
                    }
                },
                "Token": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"}, "start": {"type": "integer"}, "end": {"type": "integer"},
                        "byte_start": {"type": "integer"}, "byte_end": {"type": "integer"}, "position": {"type": "integer"}
                    }
                },
                "Analysis": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"}, "side": {"type": "string"},
                        "tokens": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}},
                        "dropped_words": {"type": "array", "items": {"type": "string"}}
                    }
                }
            }
        }
    })
}
