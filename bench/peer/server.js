'use strict';
// The estimate form the way a Node team would write it, as the peer that
// bench/peer/run measures leadgate against (issue 23): fastify, the body
// validated by a JSON schema (leadgate's rules for the estimate form:
// service/domain/estimate.cpp), node-postgres with a pool per process, and
// each lead stored with its two e-mail jobs (the visitor's confirmation and
// the notification to sales) in a transaction of its own. One process per
// core (node:cluster), the request log at info on stdout.
//
// Environment: PORT (3000), HOST (127.0.0.1), PEER_WORKERS (one per core),
// PEER_POOL_SIZE (16 connections per process), PEER_LOG_LEVEL (info),
// PEER_SALES_ADDRESS (sales@localhost), and libpq's PGHOST, PGPORT,
// PGDATABASE, PGUSER for the database.
const cluster = require('node:cluster');
const os = require('node:os');

const workers = Number(process.env.PEER_WORKERS) || os.availableParallelism();

if (cluster.isPrimary) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers).length === 0) process.exit(0);
      return;
    }
    console.error(`worker ${worker.process.pid} ended (${signal || code}); starting another`);
    cluster.fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    });
  }
} else {
  start();
}

function start() {
  const fastify = require('fastify')({ logger: { level: process.env.PEER_LOG_LEVEL || 'info' } });
  const { Pool } = require('pg');
  const pool = new Pool({ max: Number(process.env.PEER_POOL_SIZE) || 16 });
  const salesAddress = process.env.PEER_SALES_ADDRESS || 'sales@localhost';

  // No control characters (a single line: no line breaks either).
  const line = '^[^\\u0000-\\u001f\\u007f]*$';
  const attribution = { type: 'string', maxLength: 500, pattern: line };
  const estimateBody = {
    type: 'object',
    required: ['name', 'email', 'message'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, pattern: '^(?!.*(://|www\\.))[^\\u0000-\\u001f\\u007f]*$' },
      email: { type: 'string', format: 'email', maxLength: 254 },
      message: { type: 'string', minLength: 10, maxLength: 5000, pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$' },
      company: { type: 'string', maxLength: 200, pattern: line },
      phone: { type: 'string', maxLength: 40, pattern: '^[0-9 +()\\-.]*$' },
      budget: { type: 'string', enum: ['under_10k', '10k_25k', '25k_50k', '50k_100k', 'over_100k', 'not_sure'] },
      timeline: { type: 'string', maxLength: 100, pattern: line },
      services: {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', enum: ['web_app', 'mobile_app', 'design', 'api', 'consulting', 'maintenance', 'other'] },
      },
      consent_marketing: { type: 'boolean' },
      consent_version: { type: 'string', maxLength: 50, pattern: '^[A-Za-z0-9._-]*$' },
      page_url: attribution,
      referrer: attribution,
      utm_source: attribution,
      utm_medium: attribution,
      utm_campaign: attribution,
      utm_term: attribution,
      utm_content: attribution,
    },
  };
  const received = {
    type: 'object',
    properties: { id: { type: 'string' }, status: { type: 'string' } },
  };

  const insertLead = `
    INSERT INTO leads (form, name, email, message, company, phone, budget, timeline, services, consent_marketing,
                       consent_version, page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term,
                       utm_content, client_address, user_agent)
    VALUES ('estimate', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
    RETURNING id`;
  const insertJobs = `
    INSERT INTO jobs (lead_id, template, recipient, reply_to, payload)
    VALUES ($1, 'estimate_confirmation', $2, NULL, $3), ($1, 'lead_notification', $4, $2, '{}')`;

  fastify.post('/v1/forms/estimate', { schema: { body: estimateBody, response: { 201: received } } },
    async (request, reply) => {
      const b = request.body;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query(insertLead, [
          b.name, b.email, b.message, b.company ?? null, b.phone ?? null, b.budget ?? null, b.timeline ?? null,
          b.services ?? [], b.consent_marketing ?? false, b.consent_version ?? '1', b.page_url ?? null,
          b.referrer ?? null, b.utm_source ?? null, b.utm_medium ?? null, b.utm_campaign ?? null,
          b.utm_term ?? null, b.utm_content ?? null, request.ip, request.headers['user-agent'] ?? null,
        ]);
        const id = rows[0].id;
        await client.query(insertJobs, [id, b.email, { lead_id: id, name: b.name }, salesAddress]);
        await client.query('COMMIT');
        reply.code(201);
        return { id, status: 'received' };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    });

  fastify.get('/readyz', async () => {
    await pool.query('SELECT 1');
    return { status: 'ready' };
  });

  process.on('SIGTERM', () => {
    fastify.close().then(() => pool.end()).then(() => process.exit(0));
  });

  fastify.listen({ port: Number(process.env.PORT) || 3000, host: process.env.HOST || '127.0.0.1' }).catch((err) => {
    fastify.log.error(err);
    process.exit(1);
  });
}
