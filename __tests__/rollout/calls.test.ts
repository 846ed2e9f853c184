// Which errors mean "this API is not here" (use the fallback for the rest of the wait) and which are one bad poll.
import { ECSServiceException } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { classify, Throttled, Unavailable, Unsupported } from "../../src/rollout/calls.js";

const fallback = { mayBeUnsupported: true };

function ecsError(name: string, message: string, status: number, fault: "client" | "server") {
  return new ECSServiceException({ name, message, $fault: fault, $metadata: { httpStatusCode: status } });
}

describe("classify, for calls with a fallback", () => {
  it("moto's HTML 500 page (the SDK throws a SyntaxError carrying $metadata) is Unsupported", () => {
    const html500 = Object.assign(new SyntaxError("Unexpected token '<', \"<!doctype \"... is not valid JSON"), {
      $metadata: { httpStatusCode: 500, attempts: 1 },
    });
    expect(classify("ListServiceDeployments", html500, fallback)).toBeInstanceOf(Unsupported);
  });

  it("UnknownOperationException and a 404 are Unsupported", () => {
    const unknown = ecsError("UnknownOperationException", "", 400, "client");
    expect(classify("ListServiceDeployments", unknown, fallback)).toBeInstanceOf(Unsupported);
    const notFound = Object.assign(new Error("Not Found"), { name: "Error", $metadata: { httpStatusCode: 404 } });
    expect(classify("ListServiceDeployments", notFound, fallback)).toBeInstanceOf(Unsupported);
  });

  it("AWS's own 5xx errors are Unavailable (ask again next poll), not Unsupported", () => {
    const unavailable = ecsError("ServiceUnavailableException", "Service Unavailable", 503, "server");
    const server = ecsError("ServerException", "Service encountered an unexpected problem.", 500, "server");
    expect(classify("DescribeServiceDeployments", unavailable, fallback)).toBeInstanceOf(Unavailable);
    expect(classify("DescribeServiceDeployments", server, fallback)).toBeInstanceOf(Unavailable);
    expect(classify("DescribeServiceDeployments", server, fallback).message).toBe(
      "DescribeServiceDeployments failed: ServerException: Service encountered an unexpected problem.",
    );
  });

  it("throttling stays Throttled", () => {
    const throttle = ecsError("ThrottlingException", "Rate exceeded", 400, "client");
    expect(classify("DescribeServiceDeployments", throttle, fallback)).toBeInstanceOf(Throttled);
  });
});
