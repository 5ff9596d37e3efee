/**
 * /verify/<order number>?code=<code> for a browser (issue 13): the public check of an order, in
 * the cabinet's look, on a phone too. The answer is api/verify's; without the code it says no
 * more than whether the number exists.
 */
import { type Request, type Response, Router } from 'express';
import { verifyOrderInFull } from '../../api/verify/service';
import { formatDate, formatTime } from '../../domain/shared/dates';
import type { WebDeps } from '../shared/deps';
import { renderPage, t } from '../shared/render';

const when = (value: string | Date | null | undefined) => (value ? `${formatDate(value)} ${formatTime(value)}` : '');

export function verifyPages(deps: WebDeps): Router {
  const router = Router();
  router.get('/verify/:orderNumber', async (req: Request, res: Response) => {
    const orderNumber = String(req.params.orderNumber);
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    const { found, body } = await verifyOrderInFull(deps, orderNumber, code);
    res.set('Cache-Control', 'no-store');
    const status = !body.exists ? 'unknown' : body.verified ? body.status : 'unverified';
    const details =
      body.exists && body.verified
        ? {
            lawyer: body.lawyer,
            issued: body.issuedAt ? formatDate(body.issuedAt) : '',
            institution: body.institution,
            version: body.version,
            replacedBy: body.replacedBy,
            replaces: body.replaces,
            signature:
              body.signature.status === 'valid'
                ? {
                    status: 'valid',
                    text: t(res, 'verify.signature.valid'),
                    signer: body.signature.signerName,
                    at: when(body.signature.signingTime ?? body.signature.signedAt),
                    issuer: body.signature.issuerName,
                  }
                : { status: body.signature.status, text: t(res, `verify.signature.${body.signature.status}`) },
            bureauCopy: body.bureauCopy ? { by: body.bureauCopy.confirmedBy, at: when(body.bureauCopy.confirmedAt) } : undefined,
          }
        : undefined;
    renderPage(
      req,
      res,
      'verify/show',
      {
        title: t(res, 'verify.title', { number: orderNumber }),
        orderNumber,
        status,
        valid: body.exists && body.verified && body.valid,
        verdict: t(res, `verify.status.${status}`),
        details,
      },
      found ? 200 : 404,
    );
  });
  return router;
}
