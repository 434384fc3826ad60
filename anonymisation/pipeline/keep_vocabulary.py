"""More words that must stay, by kind: languages, faiths and festivals, NHS roles, clinical systems, device
brands and UK medicine brands that the drug dictionary (``lexicon``) does not list.

General knowledge of the NHS written for this service, by class (every language an interpreter may be
booked for, every role on a rota), not lists of what an evaluation set happened to contain. Phrases are
separated by "|" or new lines; ``allow_list`` matches them case-insensitively and tolerant of possessives.
"""

from __future__ import annotations


def _phrases(block: str) -> tuple[str, ...]:
    items = (item.strip() for line in block.splitlines() for item in line.split("|"))
    return tuple(item for item in items if item)


LANGUAGES = _phrases("""
Albanian | Amharic | Arabic | Armenian | Assamese | Azerbaijani | Bajuni | Bengali | Sylheti | Bosnian
Bulgarian | Burmese | Cantonese | Mandarin | Hakka | Hokkien | Croatian | Czech | Danish | Dari | Dutch
Estonian | Ewe | Farsi | Persian | Fijian | Finnish | Flemish | French | Fula | Georgian | German | Greek
Gujarati | Hausa | Hebrew | Hindi | Hungarian | Icelandic | Igbo | Ilocano | Indonesian | Italian | Japanese
Kannada | Kazakh | Khmer | Kinyarwanda | Kirundi | Korean | Krio | Kurdish | Kurmanji | Sorani | Badini
Lao | Latvian | Lingala | Lithuanian | Luganda | Macedonian | Malay | Malayalam | Maltese | Marathi
Mirpuri | Pahari | Potwari | Moldovan | Mongolian | Nepali | Norwegian | Oromo | Pashto | Polish | Portuguese
Punjabi | Romanian | Romani | Russian | Serbian | Shona | Sinhala | Sinhalese | Slovak | Slovenian
Somali | Spanish | Swahili | Swedish | Tagalog | Filipino | Tamil | Telugu | Thai | Tibetan | Tigrinya
Tigre | Turkish | Turkmen | Twi | Akan | Fante | Ukrainian | Urdu | Uzbek | Vietnamese | Welsh | Gaelic
Wolof | Xhosa | Yiddish | Yoruba | Zulu | Ndebele | Chichewa | Afrikaans | Makaton | BSL
British Sign Language | Irish Sign Language | Lithuanian Sign Language | Hong Kong Sign Language
""")

FAITHS_AND_FESTIVALS = _phrases("""
Church of England | Anglican | Roman Catholic | Catholic | Methodist | Baptist | Pentecostal | Evangelical
Orthodox | Greek Orthodox | Russian Orthodox | Coptic | Quaker | Seventh-day Adventist | Adventist
Presbyterian | Church of Scotland | Lutheran | Mormon | Latter-day Saints | Jehovah's Witness | Rastafarian
Muslim | Sunni | Shia | Ahmadiyya | Hindu | Sikh | Jain | Buddhist | Jewish | Orthodox Jewish | Humanist
Atheist | Agnostic | Pagan | Zoroastrian | Baha'i | Ramadan | Eid | Eid al-Fitr | Eid al-Adha | Eid ul-Fitr
Eid ul-Adha | Diwali | Deepavali | Navratri | Holi | Raksha Bandhan | Vaisakhi | Baisakhi | Gurpurab
Bandi Chhor Divas | Passover | Pesach | Rosh Hashanah | Yom Kippur | Sukkot | Hanukkah | Chanukah | Purim
Shabbat | Sabbath | Lent | Ash Wednesday | Good Friday | Easter | Easter Sunday | Christmas | Advent
Orthodox Easter | Chinese New Year | Lunar New Year | Vesak | Ashura | Mawlid | Nowruz | Kwanzaa
halal | kosher | Ramadan fast
Bonfire Night | Guy Fawkes Night | Burns Night | Hogmanay | New Year's Eve | New Year's Day | Halloween
St Patrick's Day | St David's Day | St Andrew's Day | St George's Day | Pancake Day | Shrove Tuesday
Mothering Sunday | Mother's Day | Father's Day | Remembrance Sunday | Armistice Day | Palm Sunday
Maundy Thursday | Holy Saturday | Easter Monday | Whitsun | Pentecost | Ascension Day | Epiphany
Orthodox Christmas | Christmas Eve | Christmas Day | Boxing Day | Candlemas | All Saints' Day
Laylat al-Qadr | Lailat al-Qadr | Hajj | Umrah | Arbaeen | Muharram | Islamic New Year | Mawlid al-Nabi
Shavuot | Simchat Torah | Tu BiShvat | Tisha B'Av | Yom Ha'atzmaut | Sabbath eve | Shabbos
Onam | Pongal | Thaipusam | Ugadi | Durga Puja | Janmashtami | Ganesh Chaturthi | Lohri | Karva Chauth
Dussehra | Vijayadashami | Makar Sankranti | Bihu | Guru Nanak Jayanti | Guru Nanak's birthday | Hola Mohalla
Tet | Seollal | Chuseok | Obon | Songkran | Mid-Autumn Festival | Dragon Boat Festival | Qingming
Timkat | Meskel | Enkutatash | Eid al-Mawlid | Yalda | Chaharshanbe Suri | Newroz | Orthodox Good Friday
""")

CHARITIES_AND_SERVICES = _phrases("""
Mencap | Mind | Rethink | Rethink Mental Illness | Shelter | Crisis | Sue Ryder | Women's Aid | Refuge
Barnardo's | NSPCC | Childline | Carers UK | Carers Trust | Age Concern | Scope | Sense | RNIB | RNID
Action on Hearing Loss | Diabetes UK | Asthma UK
Asthma + Lung UK | British Heart Foundation | Stroke Association
Parkinson's UK | Dementia UK | Admiral Nurses | Cruse | Cruse Bereavement Support | Maggie's | Turning Point
Change Grow Live | CGL | Victim Support | Relate
Home-Start | Headway | MS Society | Motor Neurone Disease Association
Terrence Higgins Trust | Macmillan Cancer Support | Cancer Research UK | St John's Ambulance | Lloydspharmacy
Lloyds pharmacy | Well Pharmacy | Rowlands Pharmacy | Day Lewis | Superdrug | Boots pharmacy | Asda pharmacy
Careline | Telecare | Lifeline | Healthwatch | Social Services | Adult Social Care | Children's Services
DWP | Department for Work and Pensions | Jobcentre
Jobcentre Plus | Citizens Advice | Samaritans | Shelterbox
St John Ambulance | Red Cross | British Red Cross | Salvation Army | Local Authority | Housing Association
Medacs | NHS Professionals | NHSP | Thornbury Nursing | Newcross | Newcross Healthcare | Pulse Healthcare
ID Medical | Caremark | Bluebird Care | Home Instead | Helping Hands | Right at Home | Sevacare
Allied Healthcare | Mears Care | Prestige Nursing | Nurseplus | Nurse Plus | Medacs Healthcare
""")

JOB_TITLES_MORE = _phrases("""
cpn | community psychiatric nurse | tvn | tissue viability | nic | nurse in charge | agency hca | bank hca
agency nurse | bank nurse | patient safety partner | patient safety specialist | patient experience officer
patient advice and liaison | freedom to speak up guardian | guardian of safe working | safeguarding lead
safeguarding nurse | falls lead | discharge coordinator | discharge co-ordinator | flow coordinator
clinical fellow | trust grade | staff grade | associate specialist | specialty doctor | ct3 | fy3
mental health nurse | rmn | rgn | learning disability nurse | ld nurse | ldn | play specialist
maternity support worker | msw | midwifery support worker | healthcare support worker | hcsw
assistant practitioner | nursing assistant | nursing auxiliary | ward host | ward hostess | housekeeper
ecp | emergency care practitioner | critical care paramedic | specialist paramedic | technician
dispatcher | clinical navigator | care coordinator | keyworker | key worker | approved clinician
responsible clinician | ward pharmacist | pharmacy assistant | dental nurse | theatre practitioner
anaesthetic practitioner | scrub practitioner | perfusionist | endoscopist | stoma nurse | diabetes nurse
dsn | heart failure nurse | respiratory nurse | acute oncology nurse | chemotherapy nurse | iv team
outreach team | crisis team | home treatment team | liaison psychiatry | rapid response | hospital at night
site team | bed bureau | infection prevention and control | ipc nurse | ipc team | chaplaincy
nurse specialist | clinical nurse specialist | head of quality | head of governance | head of nursing
head of midwifery | head of patient safety | head of service | deputy head of nursing
""")

CLINICAL_SYSTEMS = _phrases("""
jac | patientrack | vocera | symphony | ascribe | nervecentre | careflow | cerner | millennium | epic
lorenzo | medway | meditech | systmone | emis | emis web | vision | rio | paris | carenotes | mosaic
liquidlogic | ice | pacs | evolve | bluespier | theatreman | trakcare | wellsky | allscripts | sunrise
badgernet | k2 | euroking | e3 | oceano | datix | ulysses | radar | inphase | safeguard | docman
eobs | e-obs | vitalpac | patient track | medchart | hospital pharmacy system | jac epma | epma | eprescribing
allocate | healthroster | safecare | rotamaster | e-roster | eroster | health roster | maxims | tpp
adastra | cleric | terranova | siren | infoflex | somerset cancer register | cris | sectra | agfa | winpath
telepath | apex | order comms | ordercomms | carecentric | graphnet | orion | summary care record | scr
gp connect | spine | nrls | steis | nhsmail | nhs mail | attend anywhere | accurx | badger | athena
powerchart | firstnet | ed navigator | sentinel | cellma | medisec | dxs | ardens | ascom | spectralink
bleep system | switchboard | outlook | teams | intranet | sharepoint | esr | ulysses safeguard | inphase
cerner powerchart | lorenzo epr | medway epr | evolve epr | patient centre | pas | epr | ehr | e-record
better meds | bettercare | eprr | oceano | eobservations | webv | ris | lims | blood track | bloodtrack
e-rs | e-referral service | e-referrals | soe | software of excellence | dentally | r4 dental
""")

DEVICE_BRANDS = _phrases("""
verathon | bladderscan | bladder scanner | nova statstrip | statstrip | istat | i-stat | accu-chek | freestyle
clinitron | vernacare | kendall scds | flowtron | huntleigh | arjohuntleigh | arjo | hillrom
hill-rom | stryker | invacare | sidhil | dyna-form | dynaform
alpha x-cell | omnipod | dexcom | medtronic | minimed
ypsopump | libre | graseby | mckinley | bodyguard | alaris
carefusion | bd | b braun | braun | baxter | fresenius | hospira | cadd | t34 | smiths medical
welch allyn | dinamap | philips | intellivue | ge healthcare | carescape | mindray | nihon kohden | zoll
lifepak | physio-control | cardiac science | heartstart | autopulse | draeger | dräger
oxylog | maquet | fisher and paykel | fisher & paykel | optiflow | airvo | resmed | respironics
intersurgical | portex | teleflex | vygon | coloplast | conveen | hollister
convatec | molnlycke | mölnlycke | mepilex | smith and nephew | smith & nephew | kci
3m | tegaderm | bair hugger | sara stedy | sara plus | maxi move | quickmove | rotunda | molift | oxford hoist
medela | ambu | laerdal | resusci anne | masimo | nellcor | covidien | flotrac | lidco
volumat | agilia | perfusor | infusomat | space pump | sapphire pump | cme | niki t34 | bodyguard 545
colleague pump | plum pump | medfusion | sigma spectrum | gemstar | asena | cardinal health
accu-chek inform | accu-chek performa | freestyle optium | freestyle libre | contour next | onetouch
glucomen | caresens | hemocue | coaguchek | t:slim | tandem | ypsomed | mylife | guardian sensor
nimbus | nimbus 4 | quattro | softform | pentaflex | repose | autologic | auto logic | alpha active
airflow mattress | dyna-form mercury | duo 2 | cairwave | aura | transair | talley | invacare softform
hoverjack | hovermatt | hover matt | return stand | re-turn | sara 3000 | marisa | minstrel | maxi sky
molift smart | oxford journey | mangar elk | mangar camel | raizer | easystand | rotastand | turner pro
likorall | liko | guldmann | prism medical | handicare | sling | slide sheet | wendylett
datascope | spacelabs | drager infinity | dräger infinity | corpuls | heartsine | primedic
hamilton c1 | servo-i | servo-u | trilogy | astral | nippy | breas | vivo 45 | a40 | nivo | vapotherm
precisionflow | optiflow junior | neopuff | resuscitaire | babytherm | giraffe | panda warmer | isolette
i-gel | igel | lma | airtraq | glidescope | mcgrath | c-mac | bonfils | aintree catheter | frova
bd venflon | venflon | nexiva | insyte | vasofix | introcan | midline | powerpicc | powerglide | vascath
bard | rüsch | rusch | lofric | speedicath | peristeen | qufora | flocare | infinity pump | kangaroo pump
enteralite | freka | corflo | cortrak | compat | applix | joey pump | medela symphony | lactina
bladderscan prime | bladderscan bvi | uroflow | clinitek | multistix | siemens | roche | abbott
cepheid | genexpert | id now | biofire | radiometer | abl90 | gem premier | i-stat cartridge
pico | renasys | v.a.c. | vac therapy | prevena | invia | avelle | kci vac | actiform cool
allevyn | biatain | mepitel | mepore | cutimed | sorbact | kerlix | tubifast | tubigrip | k-band
flowtron excel | scd express | kendall | scds | geko | novamed | huntleigh dopplex | dopplex
bair paws | warm touch | hotline | level 1 | belmont | ranger | enflow | cell saver | cellsaver
""")

DRUG_BRANDS_UK = _phrases("""
buccolam | epilim | epilim chrono | priadel | camcolit | forxiga | jardiance | trulicity | ozempic | wegovy
mounjaro | victoza | eliquis | xarelto | lixiana | pradaxa | brilique | plavix | lipitor | zocor | keppra
tegretol | lamictal | zonegran | sabril | frisium | rivotril | stesolid | diazemuls | hypnovel | oramorph
zomorph | sevredol | mst continus | oxynorm | oxycontin | longtec | shortec | butrans | transtec | durogesic
matrifen | abstral | palexia | zapain | solpadol | tylex | kapake | co-dydramol | nurofen | brufen | voltarol
naprosyn | arcoxia | celebrex | zoton | losec | nexium | zantac | buscopan | stemetil | valoid | zofran
maxolon | motilium | fybogel | dulcolax | senokot | picolax | moviprep | klean-prep | duphalac | lactugal
augmentin | tazocin | meronem | rocephin | zinacef | flagyl | klaricid | erythroped | doxylar | ciproxin
tavanic | trimogal | macrobid | macrodantin | dalacin | rifadin | zovirax | valtrex | tamiflu | diflucan
daktacort | canesten | ventolin | salamol | airomir | atrovent | spiriva | seretide | symbicort | fostair
relvar | trimbow | trelegy | pulmicort | flixotide | clenil | qvar | singulair | uniphyllin | phyllocontin
lantus | levemir | tresiba | toujeo | abasaglar | semglee | novorapid | humalog | apidra | fiasp | lyumjev
humulin | insulatard | novomix | humalog mix | glucophage | diamicron | januvia | galvus | trajenta
eltroxin | synthroid | neo-mercazole | fludrocortisone | hydrocortone | solu-cortef | efcortesol
deltacortril | lasix | burinex | aldactone | inspra | tildiem
adizem | istin | adalat | tenormin | cardicor | congescor
inderal | coversyl | tritace | zestril | cozaar | amias | atacand | entresto | lanoxin | cordarone
dysport | botox | arava | humira | enbrel | remicade | stelara | cosentyx | rituximab | truxima | herceptin
clexane | fragmin | innohep | arixtra | heparinised saline | hepsal | octaplex | beriplex | cyklokapron
konakion | sando-k | slow sodium | kay-cee-l | adcal-d3 | calcichew | accrete | ferinject | venofer
monofer | cosmofer | pabrinex | vitamin b co strong | thiamine | forceval | ensure | fortisip | fortini
complan | scandishake | resource | nutilis clear | thick and easy | slo drinks | oral rehydration
dioralyte | o2 | entonox | syntocinon | syntometrine | hemabate | cervidil | propess | prostin
atosiban | tractocile | nifedipine | labetalol | trandate | methyldopa | aldomet
microgynon | rigevidon | levest | cerazette | cerelle | femodene | marvelon | gedarel | lucette | logynon
noriday | norgeston | zoely | qlaira | depo-provera | sayana press | nexplanon | mirena | kyleena | jaydess
levonelle | ellaone | septanest | citanest | lignospan | scandonest | xylocaine | ubistesin
""")
