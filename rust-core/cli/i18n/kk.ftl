### qorgan CLI-дің өз сөйлемдері қазақ тілінде (kk). Қозғалтқыштың сөйлемдері (табылғандар,
### тексеру) rust-core/engine/i18n/ ішінде. en.ftl және ru.ftl файлдарындағыдай id мен
### аргументтер (тест тексереді). Кодтар, жалауша аттары, SHA-256, SPKI, PEM және JSON кілттері
### аударылмайды.

## Қателер (бір сөйлем: аргумент не файл және не істеу керек)

cli-error-inspect-no-input = inspect командасына тізбек керек: PEM, DER не PKCS#7 файлын көрсетіңіз не оны кіріске беріңіз (qorgan inspect - < chain.pem).
cli-error-at-validated = --at жалаушасы --validated режимінде қолданылмайды: күндерді платформа тексеріп қойған. --at жалаушасын алып тастаңыз.
cli-error-pins-needs-host = --pins үшін --host керек: пиндер тізбек арналған хостқа қатысты. --host АТАУ қосыңыз.
cli-error-fast-path = қол алысудағы жылдам тексеру тізбекті таза деп тапты, бірақ үкім: { $verdict }
cli-error-internal = ішкі қате: { $error }
cli-error-chain-too-long = Тізбекте { $count } сертификат бар, ал рұқсат етілгені — { $limit }. Тек сервердің тізбегін беріңіз (алдымен соңғы сертификат); сертификаттар қоймасы үшін audit командасын қолданыңыз.
cli-stdin = стандартты кіріс
cli-error-is-directory = { $file }: бұл — қалта. Сертификат файлын көрсетіңіз; қалталарды audit командасы оқиды.
cli-error-too-large = { $file }: көлемі { $bytes } байт, сертификат файлы үшін тым үлкен. Файлдың дұрыс екенін тексеріңіз.
cli-io-not-found = мұндай файл жоқ. Жолды тексеріңіз.
cli-io-permission-denied = рұқсат жоқ. Оны оқи алатын пайдаланушы атынан іске қосыңыз.
cli-error-no-certificate-in-paths = Көрсетілген жолдарда бірде-бір сертификат табылмады. PEM, DER не PKCS#7 файлдарын не солар жатқан қалталарды көрсетіңіз.
cli-could-not-read = { $file } оқылмады: { $reason }
cli-folder-not-listed = қалтаның ішін қарау мүмкін емес: { $reason }
cli-system-store = жүйенің сертификаттар қоймасы
cli-system-store-bad-pem = ондағы бір PEM файлы бүлінген (қойманы жүктеуші қайсысы екенін айтпайды)
cli-error-system-store-empty = Бұл компьютердің сертификаттар қоймасынан ештеңе табылмады. SSL_CERT_FILE мәнін беріңіз не тексерілетін файлдарды көрсетіңіз.
cli-error-at = --at "{ $value }": Qorgan бұл уақытты түсінбейді. Уақытты RFC 3339 пішімінде беріңіз (мысалы, 2019-07-20T00:00:00Z) не 1970 жылдан бергі секунд санымен беріңіз (мысалы, 1563580800).
cli-error-host = { $flag } "{ $value }": бұл хост атауы емес. example.com сияқты атауды не IP мекенжайын беріңіз.
cli-error-check-host = "{ $value }": бұл хост атауы емес. example.com сияқты атауды не https://example.com/path сияқты мекенжайды беріңіз.
cli-error-timeout = --timeout { $value }: 0-ден үлкен, 300-ден аспайтын секунд санын беріңіз, мысалы 10.
cli-error-connect = --connect "{ $value }": IP:PORT түрінде беріңіз, мысалы 203.0.113.7:443 не [2001:db8::1]:443.
cli-error-policy-not-text = { $file }: пиндер саясаты UTF-8 мәтіні емес. Network Security Config XML файлын не JSON файлын беріңіз.
cli-policy-warning = { $file }: ескерту: { $warning }

## Сертификат файлындағы ақау (файл атауынан кейін)

cli-store-empty = файл бос. Сертификаттары бар файлды беріңіз.
cli-store-not-pem = сертификат табылмады: мәтін PEM пішімінде емес ("-----BEGIN CERTIFICATE-----" жолы жоқ).
cli-store-not-pem-or-der = сертификат табылмады: файл PEM де, DER де емес.
cli-store-too-many = файлда { $count } сертификат бар, ал Qorgan бір файлдан { $limit } сертификаттан артық оқымайды.
cli-store-no-end = "-----BEGIN { $label }-----" деп басталатын бөлімде "-----END { $label }-----" жолы жоқ: файл толық көшірілмеген болуы мүмкін. Оны қайта толық көшіріңіз.
cli-store-no-certificate = файлда сертификат жоқ.
cli-store-no-certificate-sections = сертификат табылмады: файлда тек { $labels } PEM бөлімдері бар.
cli-pem-mismatched = бөлім "-----BEGIN { $begin }-----" деп басталып, "-----END { $end }-----" деп аяқталады.
cli-pem-bad-base64 = PEM бөлімі дұрыс base64 емес: BEGIN мен END жолдарының арасында A-Z, a-z, 0-9, +, / және = таңбаларынан басқа таңба бар. Файл бүлінген болуы мүмкін; оны қайта көшіріңіз.
cli-pem-bad-headers = PEM бөлімінің тақырып жолдары қате (бос жолдың алдында "Атау: мән").
cli-pem-not-text = PEM бөлімінде мәтін емес байттар бар.
cli-pem-unpaired = PEM-дегі BEGIN және END жолдары жұп құрамайды.

## Стандартты қате ағынына жазылатын ескертпелер

cli-note-skipped-anchor = ескертпе: №{ $index } сенімді сертификат ({ $subject }) жолдың тірегі бола алмайды ({ $reason }); ол қол қойған тізбектер бәрібір оның қолтаңбасы арқылы табылады.
cli-note-skipped-files = { $folder }: сертификаты жоқ { $count } файл өткізіп жіберілді.
cli-note-store-path-missing = жүйе қоймасы: { $file }: мұндай файл жоқ

## inspect: тізбек туралы үкім

cli-verdict-word = { $verdict ->
    [trusted] СЕНІМДІ
    [intercepted_known] ҰСТАЛЫП ЖАТЫР
    [intercepted_local] ҰСТАЛЫП ЖАТЫР (жергілікті орталық)
    [untrusted] СЕНІМСІЗ
    [invalid] ЖАРАМСЫЗ
   *[pin_violation] ПИНДЕР СӘЙКЕС ЕМЕС
}
cli-verdict-line-host = { $word } ({ $host }): { $sentence }
cli-verdict-line = { $word }: { $sentence }
cli-verdict-trusted = тізбек ашық түбірлік сертификатқа апарады: { $anchor } ({ $programs }).
cli-verdict-intercepted-known = бұл байланыс белгілі ұстап алу орталығы арқылы өтеді: { $ca }.
cli-verdict-intercepted-known-unnamed = бұл байланыс белгілі ұстап алу орталығы арқылы өтеді (табылғандарды қараңыз).
cli-verdict-intercepted-local = тізбек «{ $anchor }» сертификатымен аяқталады. Бұл құрылғы оған сенеді, бірақ ешбір ашық түбірлік бағдарлама сенбейді.
cli-verdict-untrusted = тізбек ешбір сенімді түбірге апармайды; телефон одан бас тартар еді.
cli-verdict-invalid = тізбек { $anchor } сертификатына апарады, бірақ оны қабылдауға болмайды. { $problem }
cli-verdict-pin-violation = тексерілген тізбектің ешбір сертификаты қолданбаның пиндеріне сәйкес келмейді.
cli-heading-findings = Табылғандар
cli-heading-path = Жол
cli-heading-anchor = Тірек
cli-severity = { $severity ->
    [critical] қауіпті
    [warning] ескерту
   *[info] мәлімет
}
cli-role = { $role ->
    [leaf] соңғы
    [intermediate] аралық
    [root] түбірлік
   *[anchor] тірек
}
cli-path-unreadable = толық оқылмады
cli-path-not-sent = сервер жібермеді; { $source ->
    [caller] берілген сенімді тіректерден
    [known] Qorgan-ның ұстап алу орталықтары тізімінен
   *[programs] кірістірілген түбірлік бағдарламалардан
} алынды
cli-anchor-public = ашық түбір ({ $programs })
cli-anchor-known-interception = белгілі ұстап алу орталығы
cli-anchor-non-public = ешбір ашық түбірлік бағдарламада жоқ
cli-anchor-distrusted = заң бұзғаны үшін сенімнен айырылған

## audit: сертификаттар қоймасы

cli-audit-word = { $outcome ->
    [danger] ҚАУІПТІ
    [warning] НАЗАР АУДАРЫҢЫЗ
    [incomplete] ТОЛЫҚ ТЕКСЕРІЛМЕДІ
   *[clean] ТАЗА
}
cli-audit-interception = Мұнда { $count } белгілі ұстап алу орталығына сенім бар. Олардың иесі HTTPS трафигін оқып, өзгерте алады.
cli-audit-blocked = Мұнда браузерлер бұзылғаннан не заң бұзғаннан кейін бұғаттаған { $count } орталыққа сенім бар.
cli-audit-non-public = Ашық бағдарламалардан тыс { $count } түбір бар. Олардың әрқайсысы HTTPS трафигін ұстап алуға жарайды. Өзіңіз танымайтындарын жойыңыз.
cli-audit-see-findings = төмендегі табылғандарды қараңыз.
cli-audit-incomplete = Сертификаттар болуы мүмкін { $count } файл оқылмады (төменде). Оқылған сертификаттар арасында ұстап алу орталығы да, ашық бағдарламадан тыс түбір де жоқ.
cli-audit-clean = ұстап алу орталығы да, ашық бағдарламадан тыс түбір де жоқ.
cli-audit-sources = { $count } файл
cli-audit-counts = Барлығы { $total } сертификат. Дереккөзі: { $from }. Белгілі ұстап алу орталықтары: { $known }{ $blocked ->
    [0] {""}
   *[other] {" "}(браузерлер бұғаттағаны: { $blocked })
}. Ашық бағдарламалардан тыс: { $non_public }. Ашық түбірлер: { $public }. Орталық емес: { $not_ca }.
cli-audit-file-count = { $file }: { $count } сертификат
cli-heading-unreadable = Оқылмаған файлдар
cli-heading-unreadable-note = оларда бұл тексеру көрмеген сертификаттар болуы мүмкін
cli-heading-attention = Назар аударуды қажет ететін сертификаттар
cli-audit-in-file = файл: { $file }
cli-audit-compared = Салыстырылғаны: { $versions }

## check: сайттарды тексеру

cli-check-col-host = хост
cli-check-col-verdict = үкім
cli-check-col-detail = толығырақ
cli-check-verdict = { $verdict ->
    [trusted] сенімді
    [intercepted_known] ұсталып жатыр
    [intercepted_local] ұсталып жатыр (жергілікті орталық)
    [untrusted] сенімсіз
    [invalid] жарамсыз
    [pin_violation] пиндер сәйкес емес
   *[unreachable] тексерілмеді
}
cli-check-then = { $finding } (содан кейін: { $error })
cli-probe-error = { $code ->
    [dns_failed] { $host } атауы DNS-те табылмады.
    [connect_failed] { $host } хостына қосылу мүмкін болмады.
    [connection_refused] { $host } хосты қосылудан бас тартты: ол портта ештеңе жұмыс істеп тұрған жоқ.
    [not_tls] { $host } хосты жауап берді, бірақ TLS арқылы емес (қарапайым HTTP сервері ме?).
    [timeout] { $host } хосты уақытында жауап бермеді.
    [tls_alert] { $host } хосты TLS қате белгісімен жауап берді.
    [reset_after_client_hello] { $host } хостымен байланыс ClientHello жіберілген бойда үзілді: сайтты атауы бойынша бұғаттау әдетте осылай көрінеді.
   *[tls_error] { $host } хостымен TLS қол алысуы сәтсіз аяқталды.
}
cli-check-counts = Сенімді: { $trusted }. Ұсталып жатыр (белгілі орталық): { $known }. Ұсталып жатыр (жергілікті орталық): { $local }. Сенімсіз: { $untrusted }. Жарамсыз: { $invalid }. Тексерілмеді: { $unreachable }.

## pin

cli-pin-domain = Домен: { $domain } ({ $source ->
    [given] берілгендей
    [common_name] соңғы сертификаттың жалпы атауы (CN); басқасын --domain арқылы таңдаңыз
    [san] соңғы сертификаттың бірінші DNS атауы; басқасын --domain арқылы таңдаңыз
   *[none] уақытша атау: тізбекте соңғы сертификаттың атауы жоқ; --domain беріңіз
})
cli-pin-paste-nsc = res/xml/network_security_config.xml файлындағы { $domain } доменінің <domain-config> ішіне қойыңыз
cli-pin-json-heading = Дәл осы Qorgan-ның JSON пішімінде
cli-pin-note-leaf = сертификат жаңа кілтпен жаңартылған сайын өзгереді
cli-pin-note-root-not-sent = сервер жібермеді; түбірлік бағдарламалардан табылды
cli-pin-backup-here = осында қосалқы пин қосыңыз: бұл тізбекте жоқ кілт
cli-pin-advice = Қандай пиндерді таңдау керек: кемінде екі кілтті бекітіңіз, ешқашан тек соңғы сертификатты бекітпеңіз.
cli-pin-advice-ca = Аралық не түбірлік орталықтың кілті сол орталықта қалғаныңызша сертификатты жаңартудан кейін де өзгермейді; түбірдің кілті аралық орталық ауысқанда да сақталады. Екеуінің кез келгені пайдаланушы, компания не мемлекет орнатқан орталықтарды тоқтатады.
cli-pin-advice-leaf = Кілт қайта пайдаланылмаса, соңғы сертификаттың кілті әр жаңартуда өзгереді: оны тек орталық кілтімен бірге не жаңартуды өзіңіз басқарсаңыз ғана бекітіңіз.
cli-pin-advice-backup = Бүгінгі тізбекте жоқ қосалқы пин қосыңыз: ауысуға болатын екінші орталық не келесі сертификатқа арналған, желіден тыс сақталатын қосалқы кілт жұбы. Онсыз кілтті амалсыз ауыстырғанда, пайдаланушылар жаңартқанша орнатылған қолданбалардың бәрі істемей қалады.
cli-pin-advice-expiration = Жарамдылық мерзімін қалдырыңыз (мұнда бір жыл): сонда ешкім жаңартпаған қолданба бұзылмайды, пиндерді тексеруді ғана тоқтатады. Саясатты алдымен тек есеп беру режимінде байқап көріңіз (JSON-да "enforce": false).

## bundle: қолтаңба қойылған мәліметтер бумасы (keygen, sign, verify, --bundle)

cli-bundle-error-too-large = буманың көлемі { $size } байт, бұл { $limit } шегінен асады. Файлдың дұрыс екенін тексеріңіз.
cli-bundle-error-not-a-bundle = бұл Qorgan бумасы емес: ол QORGAN-BUNDLE-V1 деп басталмайды не толық емес. Файлдың дұрыс екенін және толық жүктелгенін тексеріңіз.
cli-bundle-error-malformed = бума бүлінген не қате құрастырылған: { $reason }
cli-bundle-error-unknown-key = бумаға { $key } кілтімен қол қойылған, бірақ бұл кілт --public-key арқылы берілген кілттердің арасында жоқ. Шығарушының қазіргі ашық кілтін беріңіз.
cli-bundle-error-bad-signature = буманың қолтаңбасы расталмады: файл қол қойылғаннан кейін өзгертілген не оған басқа біреу қол қойған. Оны қолданбаңыз.
cli-bundle-error-expired = буманың мерзімі бітті ({ $expires }). Шығарушыдан жаңа бума алыңыз.
cli-bundle-error-not-newer = буманың { $version } нұсқасы қазір қолданылып тұрған { $current } нұсқасынан жаңа емес; ескі бума жаңасын алмастыра алмайды.
cli-bundle-error-no-keys = бірде-бір ашық кілт берілмеген, сондықтан буманы қабылдау мүмкін емес. --public-key қосыңыз.
cli-bundle-error-invalid-key = кілтті қолдануға болмайды: { $reason }
cli-bundle-error-write = { $file } жазылмады: { $reason }
cli-bundle-error-key-exists = { $file }: мұндай файл бар. Qorgan жабық кілтті ешқашан үстінен жазбайды: басқа атау таңдаңыз.
cli-bundle-error-expires = --expires "{ $value }": күнді ЖЖЖЖ-АА-КК түрінде беріңіз, мысалы 2027-06-30.
cli-bundle-error-expires-past = --expires { $value }: бұл күн басталып кетті. Буманың мерзімі болашақта бітуі керек.
cli-bundle-error-content = { $file }: бұл мазмұнға қол қоюға болмайды: { $reason }
cli-bundle-error-content-not-text = { $file }: мазмұны UTF-8 мәтіні емес. JSON файлын беріңіз.
cli-bundle-keygen-done = Жабық кілт { $file } файлына жазылды (кілт идентификаторы { $key }). Оны құпия әрі желіден тыс сақтаңыз; қолданбаға ешқашан салмаңыз. Қолданбаларға арналған ашық кілт (--public-key) келесі жолда.
cli-bundle-signed = Қолтаңба қойылған бума { $file } файлына жазылды.
cli-bundle-verified = { $file }: қолтаңба расталды, буманың мерзімі бітпеген.
cli-bundle-version = Нұсқасы: { $version }
cli-bundle-issued = Шығарылған уақыты: { $date }
cli-bundle-expires = Жарамдылық мерзімінің соңы: { $date }
cli-bundle-key = Кілт идентификаторы: { $key }
cli-bundle-counts = Белгілі куәландырушы орталықтар саны: { $cas }; сенімнен айырылған кілттер саны: { $distrusted }; пиндері бар домендер саны: { $domains }
cli-bundle-in-use = Мәліметтер: кірістірілгендер және бума (нұсқасы { $version }, шығарылған уақыты { $issued }, ондағы белгілі куәландырушы орталықтар саны: { $cas }).
