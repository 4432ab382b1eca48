/**
 * What the Lambda function of `index.js` needs from its configuration, for the infrastructure code
 * that creates it (runtime `nodejs22.x`).
 */

/**
 * Environment variables of the function.
 *
 * NODE_EXTRA_CA_CERTS: the function verifies the database's TLS certificate, which RDS issues from
 * its own certificate authorities. "Starting with Node.js 20, Lambda no longer loads additional CA
 * certificates by default. The Node.js 20 runtime contains a certificate file with all Amazon CA
 * certificates located at /var/runtime/ca-cert.pem. To restore the same behavior from Node.js 18
 * and earlier runtimes, set the NODE_EXTRA_CA_CERTS environment variable to
 * /var/runtime/ca-cert.pem" — and the runtimes up to Node.js 18 loaded "the Amazon RDS
 * certificates necessary for validating the server identity certificate installed on your Amazon
 * RDS database" (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading).
 * Node reads the variable "only when the Node.js process is first launched", so the function
 * cannot set it for itself, and the file extends the well-known roots rather than replacing them
 * (https://nodejs.org/api/cli.html#node_extra_ca_certsfile).
 */
export const RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = Object.freeze({
  NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
});
