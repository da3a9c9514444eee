import type { FastifyPluginAsync } from 'fastify';
import type { Case } from '../../store/case.js';
import { loadScan } from '../../domains/settings.js';

/** The look-alike domains of the last `tamis domains --case` scan (empty with ran: false before one). */
export const domainRoutes: FastifyPluginAsync<{ kase: Case }> = async (app, { kase }) => {
  app.get('/api/domains', async () => {
    const scan = loadScan(kase);
    return scan
      ? { ran: true, protected: scan.protected, lookalikes: scan.lookalikes, mismatches: scan.mismatches }
      : { ran: false, protected: [], lookalikes: [], mismatches: [] };
  });
};
