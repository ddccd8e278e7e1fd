package jp.kofu.signing;

import jp.kofu.pki.Credential;
import jp.kofu.pki.Pkcs12;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;

/**
 * A municipality's document-signing key: makes the detached CAdES signature of a PAdES PDF
 * ({@code /SubFilter /ETSI.CAdES.detached}), SHA-256 with RSA, with the ESS signing-certificate-v2 attribute and
 * no signing-time attribute (PAdES puts the time in the signature dictionary). Thread-safe.
 */
public final class DocumentSigner {
    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final Clock clock;
    private final Attribute signingCertificateV2;
    private final TimestampClient tsa;
    private final org.bouncycastle.cert.X509CertificateHolder holder;
    private final JcaCertStore certificates;
    private final org.bouncycastle.operator.DigestCalculatorProvider digests;

    public DocumentSigner(PrivateKey key, List<X509Certificate> chain, Clock clock) {
        this(key, chain, clock, null);
    }

    /** With {@code tsa}, every signature gets an RFC 3161 signature time-stamp (PAdES B-T). */
    public DocumentSigner(PrivateKey key, List<X509Certificate> chain, Clock clock, TimestampClient tsa) {
        this.tsa = tsa;
        this.key = key;
        this.chain = List.copyOf(chain);
        this.clock = clock;
        try {
            X509Certificate cert = chain.get(0);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            IssuerSerial issuerSerial = new IssuerSerial(
                    new GeneralNames(new GeneralName(X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()))),
                    cert.getSerialNumber());
            ESSCertIDv2 id = new ESSCertIDv2(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256), hash, issuerSerial);
            signingCertificateV2 = new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                    new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {id})));
            holder = new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(cert);
            certificates = new JcaCertStore(this.chain);
            digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalArgumentException("unusable signing certificate", e);
        }
    }

    /** A signer of a PKCS#12 file that dates its signatures by the system clock (tools and samples). */
    public static DocumentSigner fromPkcs12(Path file, char[] password) {
        return fromPkcs12(file, password, Clock.systemUTC(), null);
    }

    /** A signer of a PKCS#12 file that dates its signatures by {@code clock}. */
    public static DocumentSigner fromPkcs12(Path file, char[] password, Clock clock, TimestampClient tsa) {
        Credential credential = Pkcs12.read(file, password);
        return new DocumentSigner(credential.privateKey(), credential.chain(), clock, tsa);
    }

    /**
     * Checks a key before it replaces another at run time: its certificate is valid at {@code now} and the key signs
     * what the certificate's public key verifies ({@link #signsProbe}). The problem is the message of the exception.
     */
    public void check(java.time.Instant now) {
        try {
            certificate().checkValidity(java.util.Date.from(now));
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("the certificate is not valid now (valid " + certificate().getNotBefore()
                    .toInstant() + " to " + certificate().getNotAfter().toInstant() + ")");
        }
        if (!signsProbe()) {
            throw new IllegalArgumentException("the key cannot sign, or the private key does not belong to its"
                    + " certificate");
        }
    }

    /**
     * Whether the key signs now: a signature over a small fixed blob, made with the key (on its HSM for a PKCS#11
     * key) and verified with the certificate's public key; no time-stamp is asked for. The readiness check of
     * docs/operations.md, and the check of a key a reload brings.
     */
    public boolean signsProbe() {
        byte[] blob = "kofu readiness probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            java.security.Signature signing = java.security.Signature.getInstance("SHA256withRSA");
            signing.initSign(key);
            signing.update(blob);
            byte[] value = signing.sign();
            java.security.Signature checking = java.security.Signature.getInstance("SHA256withRSA");
            checking.initVerify(certificate().getPublicKey());
            checking.update(blob);
            return checking.verify(value);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The signing certificate and the CA certificates above it. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public Clock clock() {
        return clock;
    }

    /** The signing time written into the signature dictionary: now by the clock, in whole seconds, Japan time. */
    public Calendar signingTime() {
        Calendar when = new GregorianCalendar(TimeZone.getTimeZone("Asia/Tokyo"));
        when.setTimeInMillis(clock.millis() / 1000 * 1000);
        return when;
    }

    /**
     * Bytes to reserve in a PDF for the CMS: the certificates it carries, and 2 KiB for the signer info with its
     * attributes and an RSA value of up to 8192 bits; with a time-stamp authority 14 KiB more for the token (its own
     * certificates included). Every reserved byte is written twice (hex) into every certificate.
     */
    int reservedSize() {
        int certificates = 0;
        for (X509Certificate c : chain) {
            try {
                certificates += c.getEncoded().length;
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException("unusable certificate in the signing chain", e);
            }
        }
        return certificates + 2048 + (tsa == null ? 0 : 14 * 1024);
    }

    /** Adds the signature time-stamp token (id-aa-signatureTimeStampToken) over the signature value. */
    private CMSSignedData timestamped(CMSSignedData signed) throws IOException, GeneralSecurityException {
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        byte[] token = tsa.timestamp(MessageDigest.getInstance("SHA-256").digest(signer.getSignature()));
        Attribute attribute = new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
                new DERSet(ASN1Primitive.fromByteArray(token)));
        ASN1EncodableVector unsigned = new ASN1EncodableVector();
        unsigned.add(attribute);
        SignerInformation stamped = SignerInformation.replaceUnsignedAttributes(signer, new AttributeTable(unsigned));
        return CMSSignedData.replaceSigners(signed, new SignerInformationStore(stamped));
    }

    /** The DER-encoded CMS SignedData (detached) over the bytes to sign. */
    public byte[] sign(InputStream content) throws IOException {
        try {
            byte[] data = content.readAllBytes();
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(signingCertificateV2);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(digests)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)) {
                        @Override
                        protected java.util.Hashtable createStandardAttributeTable(java.util.Map parameters) {
                            java.util.Hashtable table = super.createStandardAttributeTable(parameters);
                            table.remove(org.bouncycastle.asn1.cms.CMSAttributes.signingTime);
                            return table;
                        }
                    })
                    .build(signer, holder));
            generator.addCertificates(certificates);
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(data), false);
            return (tsa == null ? signed : timestamped(signed)).getEncoded();
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cms.CMSException e) {
            throw new IOException("signing failed", e);
        }
    }
}
